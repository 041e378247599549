# LabeledAppSet operator. Run `make` (or `make help`) for the list of targets.

IMG ?= labeledappset-operator:dev
MVN ?= mvn
KUBECTL ?= kubectl
MINIKUBE ?= minikube
DOCKER ?= docker
PROMTOOL ?= promtool
HELM ?= helm
# Where make deploy puts the operator (fixed by deploy/) and where make helm-install puts it.
NAMESPACE ?= labeledappset-system
RELEASE ?= labeledappset-operator
HELM_ARGS ?=

JAR := target/labeledappset-operator.jar
CRD := labeledappsets.labeledapps.io-v1.yml
CHART := deploy/helm/labeledappset-operator
# IMG split for the chart's image.repository and image.tag (a registry's host:port stays in the repository).
IMG_REPOSITORY = $(shell echo '$(IMG)' | sed -E 's/:[^:/]+$$//')
IMG_TAG = $(or $(shell echo '$(IMG)' | sed -E -n 's/^.*:([^:/]+)$$/\1/p'),latest)

.DEFAULT_GOAL := help
.PHONY: help build test fmt e2e bench monitoring-check crds run image minikube-image install uninstall deploy undeploy \
	helm-install helm-uninstall helm-lint helm-template

help: ## Show this help
	@echo 'Usage: make <target> [IMG=$(IMG)]'
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build the operator jar (target/labeledappset-operator.jar, dependencies in target/lib/)
	$(MVN) -B package -DskipTests -DskipUTs=true

test: ## Format check (spotless:check), method length (checkstyle:check), compile with Error Prone, unit and mock-server tests; never touches a cluster
	$(MVN) -B spotless:check checkstyle:check test

fmt: ## Format the Java sources in place with google-java-format (what make test checks)
	$(MVN) -B spotless:apply

e2e: ## End-to-end tests against the cluster in KUBECONFIG (creates and deletes its own namespaces; needs prometheus and lua5.4)
	$(MVN) -B verify -Pe2e -DskipUTs=true

bench: ## Benchmark against the cluster in KUBECONFIG: prints a table, writes target/bench/*.json (see README, Performance)
	$(MVN) -B -q package exec:java@bench -DskipUTs=true

monitoring-check: ## Check the alert rules in deploy/monitoring/ and run their unit tests (needs promtool)
	$(PROMTOOL) check rules deploy/monitoring/alerts.rules.yaml
	cd deploy/monitoring && $(PROMTOOL) test rules alerts-test.yaml

crds: ## Regenerate the CRD from the Java API classes into crds/ and the Helm chart's crds/
	$(MVN) -B -q process-classes
	cp target/classes/META-INF/fabric8/$(CRD) crds/$(CRD)
	cp crds/$(CRD) $(CHART)/crds/$(CRD)

run: build ## Install the CRD into the current kubeconfig context and run the operator locally
	java -jar $(JAR) --install-crd

image: ## Build the container image IMG with docker
	$(DOCKER) build -t $(IMG) .

minikube-image: ## Build the container image IMG inside minikube (no registry needed)
	$(MINIKUBE) image build -t $(IMG) .

# --validate=false: before 1.23 the API server's own schema for CRDs lacks x-kubernetes-validations (the
# CEL rules), so kubectl's check of crds/ against it fails; such a server stores the CRD without them.
install: ## Install or upgrade the CRD in the current kubeconfig context
	$(KUBECTL) apply --validate=false -f crds/
	$(KUBECTL) wait --for=condition=Established --timeout=60s -f crds/

uninstall: ## Remove the CRD: this DELETES every LabeledAppSet in the cluster, and their pods and Services
	$(KUBECTL) delete --ignore-not-found -f crds/

# kubectl apply -k deploy/, with the Deployment's image replaced by IMG
deploy: install ## Install the CRD and run the operator from deploy/ in namespace labeledappset-system (image IMG)
	$(KUBECTL) kustomize deploy/ | sed 's|image: labeledappset-operator:dev$$|image: $(IMG)|' | $(KUBECTL) apply -f -
	$(KUBECTL) -n labeledappset-system rollout status deployment/labeledappset-operator --timeout=180s

undeploy: ## Remove what make deploy installed but the CRD (your LabeledAppSets and their pods stay)
	$(KUBECTL) delete --ignore-not-found -k deploy/

# The CRD is applied first: Helm installs a chart's crds/ only when absent and never upgrades them.
helm-install: install ## Install or upgrade the Helm release RELEASE in NAMESPACE (image IMG; more with HELM_ARGS)
	$(KUBECTL) create namespace $(NAMESPACE) --dry-run=client -o yaml | $(KUBECTL) apply -f -
	$(KUBECTL) label --overwrite namespace $(NAMESPACE) pod-security.kubernetes.io/enforce=restricted
	$(HELM) upgrade --install $(RELEASE) $(CHART) --namespace $(NAMESPACE) \
		--set image.repository=$(IMG_REPOSITORY) --set image.tag=$(IMG_TAG) --wait --timeout 3m $(HELM_ARGS)

helm-uninstall: ## Uninstall the Helm release (keeps the CRD and your LabeledAppSets)
	$(HELM) uninstall $(RELEASE) --namespace $(NAMESPACE)

helm-lint: ## helm lint --strict the chart
	$(HELM) lint --strict $(CHART)

helm-template: ## Print the manifests the chart renders (image IMG; more with HELM_ARGS)
	$(HELM) template $(RELEASE) $(CHART) --namespace $(NAMESPACE) \
		--set image.repository=$(IMG_REPOSITORY) --set image.tag=$(IMG_TAG) $(HELM_ARGS)
