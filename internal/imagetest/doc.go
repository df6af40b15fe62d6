// Package imagetest proves the container image's contract without a Docker engine.
//
// Its tests read the Dockerfile and .dockerignore at the root of the module with
// BuildKit's own parsers, check the final stage (an empty base, a non-root user, the
// port, volumes, environment and health check), build the binary from exactly the
// build context Docker would send with exactly the go build line of the Dockerfile,
// check that it is static, and run it the way the final stage would: chrooted into a
// root holding nothing but the binary, /etc/passwd, /profiles and /hostkeys, as the
// image's unprivileged user, with only the image's environment. An OpenSSH client then
// reads a CV from it and `sshcv healthcheck` checks it. The files that run the image
// or the binary are checked against it too: compose.yaml against the Dockerfile, and
// deploy/sshcv.service with systemd-analyze.
//
// The package has no code for others to use and imports nothing from sshcv: it tests
// the image, which is the binary seen from outside.
package imagetest
