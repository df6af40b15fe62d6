package netguard

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParsePrefixes reads a comma-separated list of CIDR prefixes and single addresses, as
// given to --proxy-protocol: "10.0.0.0/8,192.168.1.5,fd00::/8". A single address trusts
// that address alone. Blank entries are skipped; an empty string gives an empty list.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for i, field := range strings.Split(s, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		if strings.Contains(field, "/") {
			p, err := netip.ParsePrefix(field)
			if err != nil {
				return nil, fmt.Errorf("entry %d %q: not a CIDR prefix such as 10.0.0.0/8 or fd00::/8", i+1, field)
			}
			prefixes = append(prefixes, canonicalPrefix(p))
			continue
		}
		addr, err := netip.ParseAddr(field)
		if err != nil {
			return nil, fmt.Errorf("entry %d %q: not an IP address or a CIDR prefix such as 10.0.0.0/8", i+1, field)
		}
		if addr.Zone() != "" {
			return nil, fmt.Errorf("entry %d %q: an address with a zone cannot be trusted; drop the %%%s", i+1, field, addr.Zone())
		}
		addr = addr.Unmap()
		prefixes = append(prefixes, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return prefixes, nil
}

// canonicalPrefix masks the host bits and turns an IPv4-mapped IPv6 prefix into the IPv4
// prefix it means, because netguard compares against unmapped addresses.
func canonicalPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked()
}
