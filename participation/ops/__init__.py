"""Operations: health and readiness for the load balancer, Prometheus metrics for the operators, and a request id in
every log line and response (participation/ops/views.py, metrics.py, logs.py)."""
