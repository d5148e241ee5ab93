/* Node-level checks of each kind, as the health check docs show them. */
check {
  id = "mem-util"
  name = "Memory utilization"
  args = ["/usr/local/bin/check_mem.py", "-limit", "256MB"]
  interval = "10s"
  timeout = "1s"
}
checks = [
  {
    id = "api"
    name = "HTTP API on port 5000"
    http = "https://localhost:5000/health"
    tls_server_name = ""
    tls_skip_verify = false
    method = "POST"
    header = {
      Content-Type = ["application/json"]
    }
    body = "{\"method\":\"health\"}"
    disable_redirects = true
    interval = "10s"
    timeout = "1s"
  },
  {
    id = "ssh"
    name = "SSH TCP on port 22"
    tcp = "localhost:22"
    interval = "10s"
    timeout = "1s"
  },
  {
    id = "dns-udp"
    name = "DNS UDP on port 53"
    udp = "localhost:53"
    interval = "10s"
    timeout = "1s"
  },
  {
    id = "web-app"
    name = "Web App Status"
    notes = "Web app does a curl internally every 10 seconds"
    ttl = "30s"
  },
  {
    id = "mem-util-docker"
    name = "Memory utilization"
    docker_container_id = "f972c95ebf0e"
    shell = "/bin/bash"
    args = ["/usr/local/bin/check_mem.py"]
    interval = "10s"
  },
  {
    id = "mem-util-grpc"
    name = "Service health status"
    grpc = "127.0.0.1:12345"
    grpc_use_tls = true
    interval = "10s"
  },
  {
    id = "web-alias"
    alias_service = "web"
  },
]
