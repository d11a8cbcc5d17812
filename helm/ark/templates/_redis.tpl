{{/* The chart's Redis data nodes: the single Redis, or the primary and replicas of the Sentinel set. */}}

{{/* The Sentinel set's primary name, as the sentinels monitor it and the URL names it. */}}
{{- define "ark.redisPrimaryName" -}}
ark
{{- end -}}

{{/* The number of sentinels: three, so two of them (the quorum and a majority) decide a failover. */}}
{{- define "ark.sentinelCount" -}}
3
{{- end -}}

{{/* "true" when the chart's Redis is a Sentinel set. */}}
{{- define "ark.sentinelMode" -}}
{{- if and .Values.redis.enabled .Values.redis.sentinel.enabled -}}
true
{{- end -}}
{{- end -}}

{{/* The URL of the chart's Redis: the Service of the single Redis, or every sentinel and the primary's name. */}}
{{- define "ark.chartRedisURL" -}}
{{- if include "ark.sentinelMode" . -}}
{{- $hosts := list -}}
{{- range $i := until (int (include "ark.sentinelCount" .)) -}}
{{- $hosts = append $hosts (printf "ark-redis-sentinel-%d.ark-redis-sentinel.%s.svc:26379" $i $.Release.Namespace) -}}
{{- end -}}
redis-sentinel://{{ join "," $hosts }}#{{ include "ark.redisPrimaryName" . }}
{{- else -}}
redis://ark-redis.{{ .Release.Namespace }}.svc:6379
{{- end -}}
{{- end -}}

{{/* TASK_QUEUE_SENTINEL_PASSWORD by reference, for a process that reaches the chart's Redis through its sentinels. */}}
{{- define "ark.sentinelPasswordEnv" -}}
{{- if and (include "ark.sentinelMode" .) (not .Values.taskQueueURL) -}}
- name: TASK_QUEUE_SENTINEL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: ark-redis-sentinel
      key: sentinel-password
{{- end -}}
{{- end -}}

{{/* Who may connect to the chart's Redis (data nodes and sentinels): the operator, agents, the dashboard, and in a
Sentinel set its own pods (replication, monitoring, the sentinels' talk). */}}
{{- define "ark.redisClients" -}}
- podSelector:
    matchLabels:
      app.kubernetes.io/name: ark-operator
      app.kubernetes.io/instance: {{ .Release.Name }}
- namespaceSelector:
    {{- if .Values.watchNamespaces }}
    matchExpressions:
      - key: kubernetes.io/metadata.name
        operator: In
        values: {{ toJson .Values.watchNamespaces }}
    {{- else }}
    {}
    {{- end }}
  podSelector:
    matchLabels:
      app.kubernetes.io/managed-by: ark
    matchExpressions:
      - key: arkonis.dev/agent
        operator: Exists
{{- if and .Values.dashboard.enabled .Values.dashboard.readQueue }}
- podSelector:
    matchLabels:
      app.kubernetes.io/name: ark-dashboard
      app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
{{- if include "ark.sentinelMode" . }}
- podSelector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
    matchExpressions:
      - key: app.kubernetes.io/component
        operator: In
        values: [redis, redis-sentinel]
{{- end }}
{{- end -}}

{{/* The pod security of every Redis pod: the image's redis user and group, the runtime's default seccomp profile. */}}
{{- define "ark.redisPodSecurity" -}}
securityContext:
  # the image's redis user and group
  runAsNonRoot: true
  runAsUser: 999
  runAsGroup: 1000
  fsGroup: 1000
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* The security of every Redis container: a read-only root (Redis writes only to /data), no capability. */}}
{{- define "ark.redisContainerSecurity" -}}
securityContext:
  readOnlyRootFilesystem: true
  allowPrivilegeEscalation: false
  capabilities:
    drop: ["ALL"]
{{- end -}}

{{/*
A data node's container. In a Sentinel set the start script (redis-node.sh) writes the node's configuration, with the
replication and monitoring users, to /data and then runs redis-server with the same arguments as the single Redis.
*/}}
{{- define "ark.redisContainer" -}}
- name: redis
  image: {{ .Values.redis.image }}
  {{- if include "ark.sentinelMode" . }}
  command: [sh, /opt/ark/redis-node.sh]
  {{- end }}
  args:
    - /etc/redis/redis.conf
    - --requirepass
    - "$(REDISCLI_AUTH)"
    {{- if include "ark.dashboardQueueUser" . }}
    # the dashboard's user: only the reads it makes (queue depths, cut outputs); on Redis 6.2 as on 7
    - --user
    - ark-dashboard
    - "on"
    - "#$(DASHBOARD_PASSWORD_SHA256)"
    - "~*"
    - resetchannels
    - -@all
    {{- range list "hello" "auth" "ping" "client|setname" "xlen" "xpending" "get" }}
    - +{{ . }}
    {{- end }}
    {{- end }}
  env:
    # the password, by reference: expanded into the args above, and read by redis-cli (probes, kubectl exec)
    - name: REDISCLI_AUTH
      valueFrom:
        secretKeyRef:
          name: ark-redis
          key: password
    {{- if include "ark.dashboardQueueUser" . }}
    - name: DASHBOARD_PASSWORD_SHA256
      valueFrom:
        secretKeyRef:
          name: ark-dashboard-queue
          key: password-sha256
    {{- end }}
    {{- if include "ark.sentinelMode" . }}
    {{- include "ark.sentinelSetEnv" . | nindent 4 }}
    {{- include "ark.sentinelSecretEnv" (dict "variables" (dict "SENTINEL_PASSWORD" "sentinel-password" "REPLICATION_PASSWORD" "replication-password" "MONITOR_PASSWORD" "monitor-password")) | trim | nindent 4 }}
    {{- end }}
  ports:
    - name: redis
      containerPort: 6379
  readinessProbe:
    exec:
      command: [redis-cli, --no-auth-warning, -e, ping]
    periodSeconds: 5
    timeoutSeconds: 2
  livenessProbe:
    exec:
      command: [redis-cli, --no-auth-warning, -e, ping]
    initialDelaySeconds: 10
    periodSeconds: 10
    timeoutSeconds: 5
    failureThreshold: 6
  resources:
    {{- toYaml .Values.redis.resources | nindent 4 }}
  {{- include "ark.redisContainerSecurity" . | nindent 2 }}
  volumeMounts:
    - name: data
      mountPath: /data
    - name: config
      mountPath: /etc/redis
      readOnly: true
    {{- if include "ark.sentinelMode" . }}
    - name: scripts
      mountPath: /opt/ark
      readOnly: true
    {{- end }}
{{- end -}}

{{/* What the start scripts of the Sentinel set read: where the nodes and the sentinels are. */}}
{{- define "ark.sentinelSetEnv" -}}
- name: PRIMARY_NAME
  value: {{ include "ark.redisPrimaryName" . | quote }}
- name: SENTINELS
  value: {{ include "ark.sentinelCount" . | quote }}
- name: NODES_DOMAIN
  value: ark-redis-nodes.{{ .Release.Namespace }}.svc
- name: SENTINELS_DOMAIN
  value: ark-redis-sentinel.{{ .Release.Namespace }}.svc
{{- end -}}

{{/* Passwords of the Sentinel set by reference: (dict "variables" (dict VARIABLE key-in-ark-redis-sentinel ...)). */}}
{{- define "ark.sentinelSecretEnv" -}}
{{- range $variable, $key := .variables }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: ark-redis-sentinel
      key: {{ $key }}
{{- end }}
{{- end -}}

{{/* Pods of one part of the Sentinel set on different nodes where the cluster can: one node's loss takes one of them. */}}
{{- define "ark.redisSpread" -}}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              app.kubernetes.io/component: {{ .component }}
              app.kubernetes.io/instance: {{ .release }}
{{- end -}}
