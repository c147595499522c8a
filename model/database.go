package model

import "github.com/selfhosted-hardening/selfhosted-hardening/graph"

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
