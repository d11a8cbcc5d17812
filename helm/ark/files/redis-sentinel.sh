# A sentinel of the chart's Sentinel set. Writes its configuration to /data (Sentinel rewrites it as it learns): the
# primary its peers name (before any knows one, data node 0), the users it authenticates as, a fixed id from its host
# name (a restarted sentinel is the same peer, not a new one), and its own users: the default user, which clients use,
# may only ask where the primary is; the peers' user may do everything. Then runs redis-server as a sentinel.
set -eu
umask 077
me="$(hostname).${SENTINELS_DOMAIN}"
set_name="${HOSTNAME%-sentinel-*}"

. /opt/ark/redis-primary.sh
primary="$(primary_node "$set_name")"

# Sentinel must resolve the primary's name to start: wait (a minute at most) until it answers
tries=0
until [ "$(REDISCLI_AUTH="$MONITOR_PASSWORD" timeout 3 redis-cli --no-auth-warning --user ark-sentinel \
    -h "$primary" ping 2>/dev/null)" = PONG ] || [ "$tries" -ge 60 ]; do
  tries=$((tries + 1))
  sleep 1
done

conf=/data/sentinel.conf
cat > "$conf" <<CONF
port 26379
dir /data
sentinel myid $(printf '%s' "$me" | sha1sum | cut -c1-40)
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip ${me}
sentinel monitor ${PRIMARY_NAME} ${primary} 6379 2
sentinel auth-user ${PRIMARY_NAME} ark-sentinel
sentinel auth-pass ${PRIMARY_NAME} ${MONITOR_PASSWORD}
sentinel down-after-milliseconds ${PRIMARY_NAME} ${DOWN_AFTER_MILLISECONDS}
sentinel failover-timeout ${PRIMARY_NAME} ${FAILOVER_TIMEOUT_MILLISECONDS}
sentinel parallel-syncs ${PRIMARY_NAME} 1
sentinel sentinel-user ark-sentinel-peer
sentinel sentinel-pass ${PEER_PASSWORD}
user default on >${REDISCLI_AUTH} resetchannels -@all +ping +auth +hello +client|setname +sentinel|get-master-addr-by-name
user ark-sentinel-peer on >${PEER_PASSWORD} ~* &* +@all
CONF
exec redis-server "$conf" --sentinel
