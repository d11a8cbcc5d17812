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

{{- define "ark.taskQueueURL" -}}
{{- if .Values.taskQueueURL -}}
{{ .Values.taskQueueURL }}
{{- else if .Values.redis.enabled -}}
redis://ark-redis.{{ .Release.Namespace }}.svc:6379
{{- else -}}
{{ fail "set taskQueueURL, or redis.enabled=true for the chart's own Redis" }}
{{- end -}}
{{- end -}}
