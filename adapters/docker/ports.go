package docker

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Port is one item of a container's ports: a container port published on
// the host.
type Port struct {
	// Path is where it sits: ports[1].
	Path string
	// Internal is the port in the container; External the host port (0:
	// Docker picks a free one, 32768 or above).
	Internal, External int
	// IP is the host address the port is bound to as written ("" when
	// unset); Addr is it parsed, the unspecified 0.0.0.0 when unset
	// (pulumi-docker's default).
	IP   string
	Addr netip.Addr
	// IPUnknown: ip is not known until update (noted).
	IPUnknown bool
	// Protocol is tcp (the default), udp or sctp.
	Protocol string
}

// AllInterfaces reports whether the port is published on every address of
// the host: ip unset, 0.0.0.0, :: or [::].
func (p Port) AllInterfaces() bool { return !p.IPUnknown && p.Addr.IsUnspecified() }

// Loopback reports whether the port is bound to the host's loopback only.
func (p Port) Loopback() bool { return !p.IPUnknown && p.Addr.IsLoopback() }

// Shown describes the binding for messages: "0.0.0.0 (ip unset)".
func (p Port) Shown() string {
	switch {
	case p.IP == "":
		return "every address of the host (ip unset, so 0.0.0.0)"
	case p.AllInterfaces():
		return fmt.Sprintf("every address of the host (ip %q)", p.IP)
	}
	return fmt.Sprintf("%q", p.IP)
}

// HostPort names the host side: "host port 8080", "a random host port".
func (p Port) HostPort() string {
	if p.External == 0 {
		return "a host port Docker picks (external unset)"
	}
	return fmt.Sprintf("host port %d", p.External)
}

// ReadPorts reads a container's ports through rd, which notes what is not
// known until update or malformed. The state is Unknown or Invalid when a
// port could not be read; the ports read are returned still.
func ReadPorts(rd policy.Reader) ([]Port, policy.State) {
	items, st := rd.Items("ports")
	var out []Port
	for _, it := range items {
		p := Port{Path: it.Base(), Protocol: "tcp"}
		internal, ist := it.Number("internal")
		switch ist {
		case policy.Known:
			p.Internal = int(internal)
		case policy.Absent:
			rd.NoteInvalidFix(p.Path+".internal is not set (it is required: the port in the container)",
				"set "+p.Path+".internal to the container's port")
			st = policy.Invalid
			continue
		default:
			st = ist
			continue
		}
		if n, est := it.Number("external"); est == policy.Known {
			p.External = int(n)
		} else if est.Undecided() {
			st = est
		}
		if proto, pst := it.String("protocol"); pst == policy.Known && proto != "" {
			p.Protocol = strings.ToLower(proto)
		}
		ip, ipst := it.String("ip")
		switch ipst {
		case policy.Unknown:
			p.IPUnknown = true
		case policy.Invalid:
			st = policy.Invalid
			continue
		}
		p.IP = ip
		addr, ok := ParseHostIP(ip)
		if !ok {
			rd.NoteInvalidFix(fmt.Sprintf("%s.ip %s is not an IP address", p.Path, it.Value("ip").Describe()),
				"set "+p.Path+".ip to one address of the host, such as 127.0.0.1")
			st = policy.Invalid
			continue
		}
		p.Addr = addr
		out = append(out, p)
	}
	return out, st
}

// ParseHostIP parses a port's ip as Docker takes it: "" is 0.0.0.0, an IPv6
// address may be written in brackets ([::]).
func ParseHostIP(ip string) (netip.Addr, bool) {
	s := strings.TrimSpace(ip)
	if s == "" {
		return netip.IPv4Unspecified(), true
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
