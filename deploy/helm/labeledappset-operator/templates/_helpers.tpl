{{/* The chart's name. */}}
{{- define "las.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Name of the release's objects: the release name if it already contains the chart's name
(helm install labeledappset-operator ...), otherwise <release>-<chart>.
*/}}
{{- define "las.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that never change for the life of the release: the Deployment's selector. */}}
{{- define "las.selectorLabels" -}}
app.kubernetes.io/name: {{ include "las.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object of the release. */}}
{{- define "las.labels" -}}
{{ include "las.selectorLabels" . }}
app.kubernetes.io/part-of: labeledappset
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The operator's config.yaml. */}}
{{- define "las.config" -}}
watchNamespaces: {{ .Values.config.watchNamespaces | default list | toJson }}
metricsPort: {{ .Values.metrics.port | int }}
podCreateParallelism: {{ .Values.config.podCreateParallelism | int }}
reconcileThreads: {{ .Values.config.reconcileThreads | int }}
resyncSeconds: {{ .Values.config.resyncSeconds | default 600 | int }}
{{- if .Values.leaderElection.enabled }}
leaderElection:
  enabled: true
  leaseName: {{ .Values.leaderElection.leaseName }}
{{- end }}
podCreateBurst: {{ .Values.config.podCreateBurst | int }}
podCreateRate: {{ .Values.config.podCreateRate }}
podCreateMaxRate: {{ .Values.config.podCreateMaxRate | default 1000 }}
podCreateSlowAnswerSeconds: {{ .Values.config.podCreateSlowAnswerSeconds | default 1 }}
{{- with .Values.config.conventions }}
conventions:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
