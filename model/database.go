package model

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
)

// DatabaseTLS is whether a database refuses connections without TLS: the
// settings that decide it (a parameter group, a server configuration, a
// TLS mode), each as the platform's adapter judged it, since what "on"
// means, and the defaults, are the platform's (an engine's default
// parameter group, a server's require_secure_transport).
type DatabaseTLS struct {
	Res      *graph.Resource
	Settings []TLSSetting
}

// TLSSetting is one setting a database's TLS enforcement rests on, and the
// verdict on it: What (and Fix) when it lets clients connect without TLS,
// Unseen when it cannot be seen from the stack, Gap when a value it needs
// is not known until update or malformed; all empty when it enforces TLS.
type TLSSetting struct {
	// Where is the resource to report on: the database, or the setting's
	// own resource (a parameter group).
	Where     *graph.Resource
	What, Fix string
	Unseen    string
	Gap       *Gap
}

// Database is a managed database the service keeps its state in, as the
// guide's "encryption at rest" sees it.
type Database struct {
	Res     *graph.Resource
	Storage StorageEncryption
	// CA names, for a fix, the certificate authority a client must trust to
	// verify the database's server certificate ("" when the platform's
	// adapter does not say).
	CA string
}

// StorageEncryption is how a database's storage, snapshots and backups are
// encrypted at rest.
type StorageEncryption struct {
	// Follows, when set, says whose encryption the database's follows (a
	// read replica's source, a global cluster's first cluster) or why it is
	// always on: it is not judged.
	Follows string
	// Gaps are reads on the way not known until update or malformed.
	Gaps []Gap
	// Enabled switches it on; when absent, the platform does AbsentMeans
	// ("AWS defaults to false").
	Enabled     Field[bool]
	AbsentMeans string
	// Restored names the property of the snapshot the database is restored
	// from, whose encryption decides its own ("" when not restored).
	Restored string
	// Key is the key it encrypts with; when absent the platform's own
	// (DefaultKey). KeyApplies is false where no key can be chosen.
	Key        Field[string]
	KeyApplies bool
	// PlatformKey: Key names a key the platform manages, not the
	// customer (PlatformKeyWhat says so, KeyFix how to change it).
	PlatformKey                         bool
	DefaultKey, PlatformKeyWhat, KeyFix string
}

// Reach is how a database can be reached over the network, on platforms
// where the database itself carries the switch of its public endpoint and
// the firewall list in front of it (Azure Database for MySQL, Cloud SQL);
// RDS's publiclyAccessible is read by the policy on the resource itself.
type Reach struct {
	Res *graph.Resource
	// Private, when set, says why the database has no public endpoint
	// (private access in a delegated subnet, public access disabled, no
	// public IP): nothing else is judged.
	Private string
	// Gaps are reads on the way to Private that are not known until update
	// or malformed: while there are any, no verdict.
	Gaps []Gap
	// Public says what gives it a public endpoint ("network.publicNetworkAccess
	// is not set, so Azure enables it"), for messages.
	Public string
	// Ranges are the address ranges admitted to the public endpoint, each
	// where it is declared.
	Ranges []AdmittedRange
	// Fix says, in the platform's words, how to take the database off the
	// internet.
	Fix string
}

// AdmittedRange is one range of IPv4 addresses a database's firewall admits.
type AdmittedRange struct {
	// Where is the resource that declares it (a firewall rule, or the
	// database), Path the property (or properties) on it.
	Where *graph.Resource
	Path  string
	// Text is the range as the platform writes it ("0.0.0.0/0",
	// "0.0.0.0-255.255.255.255"), for messages.
	Text string
	// First and Last are the addresses it spans.
	First, Last netip.Addr
	// Special, when set, is what the range means on the platform beyond its
	// addresses (Azure's 0.0.0.0-0.0.0.0 admits every Azure service's
	// address): a violation of its own.
	Special string
	// Fix says how to remove or narrow it.
	Fix string
	// Gap is set when the range is not known until update or malformed.
	Gap *Gap
}

// Covers reports whether the ranges together span all of IPv4.
func Covers(rs []AdmittedRange) bool {
	type span struct{ lo, hi uint32 }
	var spans []span
	for _, r := range rs {
		if !r.First.Is4() || !r.Last.Is4() {
			continue
		}
		lo, hi := as4(r.First), as4(r.Last)
		if lo > hi {
			continue
		}
		spans = append(spans, span{lo, hi})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	var next uint64 // the first address not yet covered
	for _, s := range spans {
		if uint64(s.lo) > next {
			return false
		}
		next = max(next, uint64(s.hi)+1)
	}
	return next > 0xFFFFFFFF
}

func as4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// CIDRRange is the span of a CIDR block, or false when s is not one.
func CIDRRange(s string) (first, last netip.Addr, ok bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil || !p.Addr().Is4() {
		return netip.Addr{}, netip.Addr{}, false
	}
	p = p.Masked()
	b := p.Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v |= uint32(1)<<(32-p.Bits()) - 1
	if p.Bits() == 0 {
		v = 0xFFFFFFFF
	}
	return p.Addr(), netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// Reacher is a Source whose databases' reach is read from the whole graph
// (firewall rules are resources of their own).
type Reacher interface {
	DatabaseReach(g *graph.Graph) []Reach
}

// DatabaseReach returns every adapter's databases' reach.
func (s Sources) DatabaseReach(g *graph.Graph) []Reach {
	var out []Reach
	for _, src := range s {
		if r, ok := src.(Reacher); ok {
			out = append(out, r.DatabaseReach(g)...)
		}
	}
	return out
}

// SecretInputter is a Source that knows which inputs of its types hold a
// password or key that the Pulumi state keeps in plain text unless it is a
// Pulumi secret.
type SecretInputter interface {
	SecretInputs() map[string][]string
}

// SecretInputs merges every adapter's secret inputs, per type token.
func (s Sources) SecretInputs() map[string][]string {
	out := map[string][]string{}
	for _, src := range s {
		if si, ok := src.(SecretInputter); ok {
			for t, paths := range si.SecretInputs() {
				out[t] = append(out[t], paths...)
			}
		}
	}
	return out
}

// SecretInputTypes are the types of SecretInputs, sorted.
func (s Sources) SecretInputTypes() []string {
	return slices.Sorted(maps.Keys(s.SecretInputs()))
}
