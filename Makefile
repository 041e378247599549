# LabeledAppSet operator. Run `make` (or `make help`) for the list of targets.

IMG ?= labeledappset-operator:dev
MVN ?= mvn
KUBECTL ?= kubectl
MINIKUBE ?= minikube
DOCKER ?= docker

JAR := target/labeledappset-operator.jar
CRD := labeledappsets.labeledapps.io-v1.yml

.DEFAULT_GOAL := help
.PHONY: help build test e2e crds run image minikube-image install uninstall deploy undeploy

help: ## Show this help
	@echo 'Usage: make <target> [IMG=$(IMG)]'
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build the operator jar (target/labeledappset-operator.jar, dependencies in target/lib/)
	$(MVN) -B package -DskipTests

test: ## Unit and mock-server tests; never touches a cluster
	$(MVN) -B test

e2e: ## End-to-end tests against the cluster in KUBECONFIG (creates and deletes its own namespaces)
	$(MVN) -B verify -Pe2e -DskipUTs=true

crds: ## Regenerate the CRD from the Java API classes into crds/
	$(MVN) -B -q process-classes
	cp target/classes/META-INF/fabric8/$(CRD) crds/$(CRD)

run: build ## Install the CRD into the current kubeconfig context and run the operator locally
	java -jar $(JAR) --install-crd

image: ## Build the container image IMG with docker
	$(DOCKER) build -t $(IMG) .

minikube-image: ## Build the container image IMG inside minikube (no registry needed)
	$(MINIKUBE) image build -t $(IMG) .

# --validate=false: before 1.23 the API server's own schema for CRDs lacks x-kubernetes-validations (the
# CEL rules), so kubectl's check of crds/ against it fails; such a server stores the CRD without them.
install: ## Install the CRD into the current kubeconfig context
	$(KUBECTL) apply --validate=false -f crds/

uninstall: ## Remove the CRD: this DELETES every LabeledAppSet in the cluster, and their pods and Services
	$(KUBECTL) delete --ignore-not-found -f crds/

deploy: install ## Install the CRD and run the operator in the cluster (image IMG)
	$(KUBECTL) apply -k deploy/
ifneq ($(IMG),labeledappset-operator:dev)
	$(KUBECTL) -n labeledappset-system set image deployment/labeledappset-operator operator=$(IMG)
endif

undeploy: ## Remove the operator from the cluster (keeps the CRD and your LabeledAppSets)
	$(KUBECTL) delete --ignore-not-found -k deploy/
