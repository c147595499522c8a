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
