# Sourced by the start scripts of the chart's Sentinel set: prints the data node the sentinels name as primary or,
# before any sentinel knows one (the set's first start), node 0. $1: the set's name (ark-redis).
primary_node() {
  i=0
  while [ "$i" -lt "$SENTINELS" ]; do
    answer="$(REDISCLI_AUTH="$SENTINEL_PASSWORD" timeout 3 redis-cli --no-auth-warning \
      -h "$1-sentinel-${i}.${SENTINELS_DOMAIN}" -p 26379 \
      sentinel get-master-addr-by-name "$PRIMARY_NAME" 2>/dev/null | head -n 1)" || answer=""
    case "$answer" in
      "$1"-[0-9]*) echo "$answer"; return ;;
    esac
    i=$((i + 1))
  done
  echo "$1-0.${NODES_DOMAIN}"
}
