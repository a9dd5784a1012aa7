# A loopback nginx serving a folder with range requests, for
# bats/remote.bats and bench/remote.sh.  Source it, then:
#
#   http_server_start DIR ROOT   writes DIR/nginx.conf, starts nginx on
#                                127.0.0.1 (a free port) serving ROOT; sets
#                                HTTP_PORT; the access log is DIR/access.log
#                                (METHOD URI STATUS RANGE BODY_BYTES a line)
#   http_server_stop DIR         stops it (by the pid in DIR/nginx.pid)
#   http_proxy_start DIR ARGS... starts bench/http-proxy.py in front of it
#                                with ARGS; sets PROXY_PORT
#   http_proxy_stop DIR
#
# Locations: /         the files, ranges honoured
#            /norange/ the same files, Range headers ignored (max_ranges 0)
#            /forbidden/ every path answered with 403 Forbidden
# Needs nginx (Debian: nginx-light, scripts/install-deps.sh) and python3.

HTTP_SERVER_BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# free_port: a TCP port nobody listens on at 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

http_server_start() {
  local dir=$1 root=$2 nginx tries
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  if [[ ! -x $nginx ]]; then
    echo "nginx not found (install nginx-light: scripts/install-deps.sh)" >&2
    return 1
  fi
  mkdir -p "$dir/tmp"
  for tries in 1 2 3 4 5; do
    HTTP_PORT=$(free_port) || return 1
    cat >"$dir/nginx.conf" <<CONF
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log;
$( [[ $(id -u) -eq 0 ]] && echo "user root;" )
worker_processes 1;
events { worker_connections 256; }
http {
  log_format ranges '\$request_method \$uri \$status \$http_range \$body_bytes_sent';
  access_log $dir/access.log ranges;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  types { }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$HTTP_PORT;
    root $root;
    location /norange/ {
      alias $root/;
      max_ranges 0;
    }
    location /forbidden/ {
      return 403;
    }
  }
}
CONF
    if "$nginx" -c "$dir/nginx.conf" -p "$dir" 2>"$dir/start.err"; then
      return 0
    fi
    grep -q "Address already in use" "$dir/start.err" "$dir/error.log" 2>/dev/null || break
  done
  cat "$dir/start.err" >&2
  return 1
}

http_server_stop() {
  local dir=$1 pid i
  [[ -f $dir/nginx.pid ]] || return 0
  pid=$(cat "$dir/nginx.pid")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$dir/nginx.pid"
}

http_proxy_start() {
  local dir=$1 i
  shift
  rm -f "$dir/proxy.port"
  python3 "$HTTP_SERVER_BENCH_DIR/http-proxy.py" --upstream "$HTTP_PORT" \
    --port-file "$dir/proxy.port" "$@" </dev/null >"$dir/proxy.log" 2>&1 3>&- &
  echo $! >"$dir/proxy.pid"
  for i in $(seq 100); do
    [[ -s $dir/proxy.port ]] && break
    sleep 0.05
  done
  PROXY_PORT=$(cat "$dir/proxy.port" 2>/dev/null) || { cat "$dir/proxy.log" >&2; return 1; }
}

http_proxy_stop() {
  local dir=$1
  [[ -f $dir/proxy.pid ]] || return 0
  kill "$(cat "$dir/proxy.pid")" 2>/dev/null || true
  rm -f "$dir/proxy.pid"
}
