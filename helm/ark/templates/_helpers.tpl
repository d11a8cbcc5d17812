{{- define "ark.labels" -}}
app.kubernetes.io/name: ark-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ark.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The image of agent pods: agentImage, else the operator's. */}}
{{- define "ark.agentImage" -}}
{{ .Values.agentImage | default (include "ark.image" .) }}
{{- end -}}

{{- define "ark.taskQueueURL" -}}
{{- if .Values.taskQueueURL -}}
{{- if regexMatch "^[A-Za-z0-9+.-]+://[^/]*@" .Values.taskQueueURL -}}
{{ fail "taskQueueURL must not carry credentials (they would be a literal in the operator's Deployment): put the password, and the username of an ACL user, in a Secret and name it in taskQueue.existingSecret" }}
{{- end -}}
{{ .Values.taskQueueURL }}
{{- else if .Values.redis.enabled -}}
{{ include "ark.chartRedisURL" . }}
{{- else -}}
{{ fail "set taskQueueURL, or redis.enabled=true for the chart's own Redis" }}
{{- end -}}
{{- end -}}

{{/* The Secret with the operator's Redis credentials (keys username, optional, and password); empty: none. */}}
{{- define "ark.queueSecret" -}}
{{- if .Values.taskQueue.existingSecret -}}
{{ .Values.taskQueue.existingSecret }}
{{- else if and .Values.redis.enabled (not .Values.taskQueueURL) -}}
ark-redis
{{- end -}}
{{- end -}}

{{/* The names of imagePullSecrets, comma-separated: agent pods pull with them too. */}}
{{- define "ark.pullSecretNames" -}}
{{- $names := list -}}
{{- range .Values.imagePullSecrets -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{/* Where and how the chart's pods are scheduled and pulled: nodeSelector, tolerations, affinity, imagePullSecrets. */}}
{{- define "ark.podPlacement" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "ark.dashboardLabels" -}}
app.kubernetes.io/name: ark-dashboard
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* "true" when the chart's Redis gets the dashboard's read-only user (dashboard.readQueue without a queueSecret of one's own). */}}
{{- define "ark.dashboardQueueUser" -}}
{{- if and .Values.redis.enabled .Values.dashboard.enabled .Values.dashboard.readQueue (not .Values.dashboard.queueSecret) -}}
true
{{- end -}}
{{- end -}}

{{/* The shards the operator's replicas split the namespaces into: one per replica, with leader election. */}}
{{- define "ark.shards" -}}
{{- if and .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}{{ int .Values.replicaCount }}{{ else }}1{{ end }}
{{- end }}

{{/* The Leases the operator holds, comma-separated: ark-operator, or ark-operator-shard-<i> per shard. */}}
{{- define "ark.leaseNames" -}}
{{- $shards := int (include "ark.shards" .) }}
{{- if gt $shards 1 }}
{{- $names := list }}
{{- range $i := until $shards }}{{ $names = append $names (printf "ark-operator-shard-%d" $i) }}{{ end }}
{{- join "," $names }}
{{- else }}ark-operator{{ end }}
{{- end }}
