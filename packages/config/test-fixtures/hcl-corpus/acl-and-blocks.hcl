# ACLs, node metadata, ports, performance, limits, DNS and a heredoc.
primary_datacenter = "dc1"
acl {
  enabled = true
  default_policy = "deny"
  enable_token_persistence = true
  tokens {
    initial_management = "b1gs33cr3t"
    agent = "da666809-98ca-0e94-a99c-893c4bf5f9eb"
  }
}
node_meta {
  instance_type = "t2.medium"
  "rack-id" = "r12"
}
ports {
  http = 8500
  https = -1
  grpc = 8502
  dns = 8600
}
performance {
  raft_multiplier = 1
  rpc_hold_timeout = "7s"
}
limits {
  http_max_conns_per_client = 200
  rpc_rate = 100.5
}
dns_config {
  allow_stale = true
  max_stale = "87600h"
  node_ttl = "30s"
  service_ttl {
    "*" = "5s"
    web = "30s"
  }
}
retry_join = ["provider=aws tag_key=consul tag_value=server", "10.0.4.67"]
recursors = [
  "8.8.8.8", // Google
  "1.1.1.1", # Cloudflare
]
autopilot {
  cleanup_dead_servers = true
  last_contact_threshold = "200ms"
  max_trailing_logs = 250
  server_stabilization_time = "10s"
}
disable_update_check = true
ui_config {
  enabled = true
  content_path = "/ui/"
}
encrypt = <<EOT
pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=
EOT
