# A data node of the chart's Sentinel set. Writes the node's configuration to /data (the root is read-only): the
# chart's settings, the replication user, the sentinels' user, and, unless this node is the primary the sentinels name
# (or, before any sentinel knows one, node 0), the primary to replicate. Then runs redis-server with the arguments given.
set -eu
umask 077
base="$1"
shift
me="$(hostname).${NODES_DOMAIN}"
set_name="${HOSTNAME%-*}"

. /opt/ark/redis-primary.sh
primary="$(primary_node "$set_name")"

conf=/data/node.conf
cat "$base" > "$conf"
cat >> "$conf" <<CONF
replica-announce-ip ${me}
masteruser ark-replication
masterauth ${REPLICATION_PASSWORD}
user ark-replication on >${REPLICATION_PASSWORD} resetchannels -@all +psync +replconf +ping
user ark-sentinel on >${MONITOR_PASSWORD} allchannels -@all +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill
CONF
if [ "$primary" != "$me" ]; then
  echo "replicaof ${primary} 6379" >> "$conf"
fi
exec redis-server "$conf" "$@"
