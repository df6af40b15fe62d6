# syntax=docker/dockerfile:1
#
# sshcv as a container: one static binary on an empty base, running as an unprivileged
# user. The whole image is the binary plus /etc/passwd, /etc/group and two folders.
#
#   docker build -t sshcv .
#   docker run -d --name sshcv -p 22:2222 \
#     -v "$PWD/profiles:/profiles:ro" -v sshcv-hostkeys:/hostkeys -v sshcv-data:/data sshcv
#
# internal/imagetest reads this file: it builds the binary with the go build line below
# and checks the final stage, so change them here and the tests follow.

# Keep in step with the go line of go.mod.
ARG GO_VERSION=1.26.8

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
# Modules in their own layer: a change to the sources does not download them again.
# go.mod replaces Bubble Tea with the patched copy in third_party, which go mod download
# reads too.
COPY go.mod go.sum ./
COPY third_party/ third_party/
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=devel
# Static (no cgo), reproducible (-trimpath) and stripped (-s -w); cross-compiled for the
# target platform, so a multi-platform build never runs an emulated compiler.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/sshcv ./cmd/sshcv
# The final stage has no shell, so its user and folders are made here. /hostkeys and
# /data (the SQLite store of visitors' messages) are private to the user: a new named
# volume copies this owner and mode.
RUN mkdir -p /out/etc /out/state/profiles /out/state/hostkeys /out/state/data \
 && echo 'sshcv:x:65532:65532:sshcv:/nonexistent:/sbin/nologin' > /out/etc/passwd \
 && echo 'sshcv:x:65532:' > /out/etc/group \
 && chmod 0755 /out/state/profiles \
 && chmod 0700 /out/state/hostkeys /out/state/data

FROM scratch
ARG VERSION=devel
LABEL org.opencontainers.image.title="sshcv" \
      org.opencontainers.image.description="CVs over SSH: ssh you@cv.example.com opens your CV in the terminal" \
      org.opencontainers.image.source="https://github.com/sshcv/sshcv" \
      org.opencontainers.image.url="https://github.com/sshcv/sshcv" \
      org.opencontainers.image.documentation="https://github.com/sshcv/sshcv#self-hosting" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/etc/passwd /out/etc/group /etc/
COPY --from=build --chown=65532:65532 /out/state/ /
COPY --from=build /out/sshcv /sshcv
USER 65532:65532
# An empty /profiles serves the bundled CVs; mount your own folder over it.
ENV SSHCV_PROFILES=/profiles \
    SSHCV_HOSTKEYS=/hostkeys \
    SSHCV_DATA=/data \
    SSHCV_ADDR=:2222 \
    SSHCV_WEB=:8080
VOLUME ["/profiles", "/hostkeys", "/data"]
# SSH. The web pages (SSHCV_WEB=:8080) and metrics (SSHCV_METRICS=:9090) are off until
# their variable is set.
EXPOSE 2222 8080 9090
HEALTHCHECK --interval=30s --timeout=10s --start-period=10s --retries=3 \
    CMD ["/sshcv", "healthcheck"]
ENTRYPOINT ["/sshcv"]
CMD ["serve"]
