// A service definition with every commonly used field.
service {
  name = "web"
  id = "web-01"
  tags = ["rails"]
  address = "127.0.0.1"
  port = 8000
  meta = {
    custom_meta_key = "custom_meta_value"
  }
  tagged_addresses {
    lan {
      address = "192.168.0.55"
      port = 8000
    }
    wan {
      address = "198.18.0.23"
      port = 80
    }
  }
  enable_tag_override = false
  checks = [
    {
      args = ["/usr/local/bin/check_redis.py"]
      interval = "10s"
    }
  ]
  weights {
    passing = 5
    warning = 1
  }
}
