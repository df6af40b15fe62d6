package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// loopbackAddr checks that addr ("host:port") points at this machine's loopback
// interface — 127.0.0.0/8 or ::1 — and returns it with the host as a literal IP, so
// that the load is never aimed at anyone else's server. A name is resolved and must
// resolve to loopback addresses only ("localhost" does).
func loopbackAddr(ctx context.Context, flagName, addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("-%s %q: want host:port (%v)", flagName, addr, err)
	}
	if port == "" {
		return "", fmt.Errorf("-%s %q: missing port", flagName, addr)
	}
	if host == "" {
		return "", fmt.Errorf("-%s %q: give the loopback host explicitly, e.g. 127.0.0.1%s", flagName, addr, addr)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !ip.Unmap().IsLoopback() || ip.Zone() != "" {
			return "", notLoopback(flagName, addr)
		}
		return net.JoinHostPort(ip.Unmap().String(), port), nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return "", fmt.Errorf("-%s %q: cannot resolve %s: %v", flagName, addr, host, err)
	}
	if len(ips) == 0 {
		return "", notLoopback(flagName, addr)
	}
	for _, ip := range ips {
		if !ip.Unmap().IsLoopback() {
			return "", notLoopback(flagName, addr)
		}
	}
	return net.JoinHostPort(ips[0].Unmap().String(), port), nil
}

func notLoopback(flagName, addr string) error {
	return fmt.Errorf("-%s %q: refusing a non-loopback target: sshcv-load only measures servers "+
		"on this machine (127.0.0.0/8 or ::1); run it on the server's host", flagName, addr)
}
