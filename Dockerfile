# syntax=docker/dockerfile:1
#
# whereto as a small static image: the binary (with the default directory
# and the Europe/London time zone inside), CA certificates, nothing else.
#
#   docker build -t whereto .
#   docker run -d --name whereto --restart unless-stopped \
#     -v whereto-data:/data -p 127.0.0.1:8080:8080 \
#     --env-file /etc/whereto/whereto.env whereto
#
# See docs/OPERATIONS.md. Pin both base images by digest for production
# builds (golang:1.26@sha256:..., static-debian12:nonroot@sha256:...).

FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -buildvcs=false -ldflags="-s -w" -o /out/whereto ./cmd/whereto
# The data directory, owned by the image's non-root user (65532), so that a
# new named volume mounted on /data starts with that owner.
RUN mkdir -p /out/data && chown 65532:65532 /out/data && chmod 0700 /out/data

# distroless/static: no shell, no package manager; runs as nonroot (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/whereto /usr/local/bin/whereto
COPY --from=build --chown=65532:65532 /out/data /data
ENV WHERETO_DB=/data/whereto.db \
    WHERETO_HTTP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
# No HEALTHCHECK: the image has no shell or curl to run one, and whereto
# has no health subcommand. Let the orchestrator probe GET /healthz
# (liveness) and GET /readyz (readiness) on port 8080.
# SIGTERM stops whereto cleanly within 10 seconds (docker stop's default).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/whereto"]
CMD ["serve"]
