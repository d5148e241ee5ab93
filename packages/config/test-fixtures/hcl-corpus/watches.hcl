watches = [
  {
    type = "key"
    key = "foo/bar/baz"
    handler_type = "script"
    args = ["/usr/bin/my-service-handler.sh", "-redis"]
  },
  {
    type = "keyprefix"
    prefix = "foo/"
    args = ["/usr/bin/my-prefix-handler.sh", "-redis"]
  },
  {
    type = "services"
    args = ["/usr/bin/my-services-handler.sh"]
  },
  {
    type = "service"
    service = "redis"
    args = ["/usr/bin/my-service-handler.sh", "-redis"]
  },
  {
    type = "checks"
    state = "critical"
    handler_type = "http"
    http_handler_config {
      path = "https://localhost:8000/watch"
      method = "POST"
      header = {
        "x-foo" = ["bar", "baz"]
      }
      timeout = "10s"
      tls_skip_verify = false
    }
  },
  {
    type = "event"
    name = "web-deploy"
    args = ["/usr/bin/my-event-handler.sh", "-web-deploy"]
  },
]
