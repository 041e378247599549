# syntax=docker/dockerfile:1
# The operator's image: make image (docker), or make minikube-image (builds inside minikube, no registry).
#
# Stage 1 builds the jar with Maven; stage 2 is a JRE 17 on a distroless base: no shell, no package
# manager, nothing but the JRE, CA certificates and time zone data. Override the bases with
# --build-arg BUILD_IMAGE=... / RUNTIME_IMAGE=... (a mirror, a pinned digest).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=gcr.io/distroless/java17-debian12:nonroot

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# Dependencies first, in their own layer, so a source change does not download them again.
# go-offline is only a cache warmer: the package step below is what must succeed.
COPY pom.xml .
# the JVM options that let Error Prone (a javac plugin) reach javac's internals
COPY .mvn/ .mvn/
RUN mvn -B -q dependency:go-offline || true
COPY src/ src/
# skipUTs: the pom binds surefire's skipTests to it, so -DskipTests alone would still run the tests
RUN mvn -B -q package -DskipTests -DskipUTs=true

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="labeledappset-operator" \
      org.opencontainers.image.description="Kubernetes operator for LabeledAppSets: labeled pods plus their Service"
WORKDIR /app
# The jar's manifest puts lib/*.jar on its class path.
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/labeledappset-operator.jar /app/labeledappset-operator.jar
# Numeric, so that the kubelet can check runAsNonRoot without reading /etc/passwd
# (65532 is the distroless "nonroot" user; deploy/ runs the pod as the same UID).
USER 65532:65532
EXPOSE 8080
# The JVM's options are in src/main/docker/jvm.options (an argument file): heap from the container's
# memory limit, the serial collector, the client compiler only, exit on OutOfMemoryError. Add flags
# through JAVA_TOOL_OPTIONS. glibc's malloc keeps fewer arenas (less RSS with many threads).
COPY src/main/docker/jvm.options /app/jvm.options
ENV MALLOC_ARENA_MAX=2
# Exec form: no shell at run time (the runtime image has none).
ENTRYPOINT ["/usr/bin/java", "@/app/jvm.options", "-jar", "/app/labeledappset-operator.jar"]
