// Package deploy holds no code: it is the home of sshcv's deployment files — the
// Kubernetes manifests in kubernetes/, haproxy.cfg for a TCP balancer in front of several
// replicas, and grafana-dashboard.json for the metrics — and of the tests that keep them
// valid: every manifest parses and says what the README promises (three replicas, a
// non-root read-only container, probes, limits, one shared host key), HAProxy accepts its
// configuration and passes visitor addresses through, and the dashboard only queries
// metrics the server exports.
//
// Nothing may import this package.
package deploy
