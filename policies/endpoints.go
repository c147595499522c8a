package policies

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// The services the API talks to besides the database: object storage,
// search and mail. The guide asks for TLS on all connections.

// blobEndpointVars are the API's object-storage endpoints (gocloud.dev blob
// URLs: s3://bucket?..., azblob://container?..., gs://bucket): the self-hosted
// API reference, and the local-docker installer's _V2 checkpoint endpoint.
var blobEndpointVars = []string{
	"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT",
	"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT_V2",
	"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT",
	"PULUMI_ENGINE_EVENTS_BLOB_STORAGE_ENDPOINT",
	"PULUMI_SERVICE_METADATA_BLOB_STORAGE_ENDPOINT",
	"PULUMI_REGISTRY_PUBLIC_BLOB_STORAGE_ENDPOINT",
	"PULUMI_REGISTRY_PRIVATE_BLOB_STORAGE_ENDPOINT",
}

// searchEndpointVar is the OpenSearch cluster's URL, with its port.
const searchEndpointVar = "PULUMI_SEARCH_DOMAIN"

// ServiceEndpointsTLS requires TLS to the object store, search and mail.
var ServiceEndpointsTLS = &policy.Policy{
	Name:        "service-endpoints-tls",
	DisplayName: "The API reaches object storage and search over TLS",
	Description: "API containers (ECS task definitions, Kubernetes workloads, Docker containers) give no " +
		"service endpoint that turns TLS off: a blob-storage endpoint (PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT, " +
		"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT and the other *_BLOB_STORAGE_ENDPOINT variables, gocloud.dev " +
		"URLs) with disableSSL or disable_https true, an endpoint parameter of http://, an azblob protocol=http " +
		"or localemu=true, or an http:// URL; PULUMI_SEARCH_DOMAIN of http://. SMTP_SERVER on port 25, where " +
		"TLS is only opportunistic, cannot be verified. A value the pack cannot read (from a secret store) is " +
		"not judged; no message shows a value, which may hold credentials.",
	Section:   InTransit,
	Reference: refInTransit,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Give the object store (MinIO or another S3-compatible server) and OpenSearch a TLS " +
		"certificate and use https: drop disableSSL=true from the blob-storage URL and write its endpoint " +
		"parameter as https://host:port (or the host alone), and set PULUMI_SEARCH_DOMAIN to https://host:port.",
	Params: []policy.Param{apiRole.paramDef()},
	Stack:  checkServiceEndpoints,
}

func checkServiceEndpoints(ctx *policy.StackContext) {
	for _, c := range containersOf(ctx, apiRole) {
		for _, name := range blobEndpointVars {
			judgeServiceEndpoint(ctx, c, name, blobPlain)
		}
		judgeServiceEndpoint(ctx, c, searchEndpointVar, searchPlain)
		judgeServiceEndpoint(ctx, c, "SMTP_SERVER", smtpUnverified)
	}
}

// judgeServiceEndpoint judges one endpoint variable of a container with plain,
// which says what turns TLS off (or, for unverified, why it cannot tell).
func judgeServiceEndpoint(ctx *policy.StackContext, c workload.Container, name string, plain func(string) (string, bool, bool)) {
	s := lookup(c, name)
	switch {
	case !s.set():
		return
	case s.unknown || s.Value.IsUnknown():
		s.noteUnknown(ctx, c)
		return
	}
	v, ok := s.Value.Str()
	if !ok {
		return // from a secret store: the pack cannot read it
	}
	what, off, unverified := plain(v)
	where := s.Path
	if s.From != "" {
		where = s.From
	}
	switch {
	case off:
		ctx.ViolationFixf(c.Owner, endpointFix(name), "%s gives %s (%s) an endpoint that turns TLS off: %s; "+
			"the API's traffic to it, and the credentials with it, travel in plain text", c.Label, name, where, what)
	case unverified:
		ctx.UnverifiableFixf(c.Owner, "Use the mail server's submission port with TLS (465, or 587 with "+
			"STARTTLS required by the server).", "cannot be verified: %s gives %s (%s) %s", c.Label, name, where, what)
	}
}

func endpointFix(name string) string {
	if name == searchEndpointVar {
		return "Serve OpenSearch over TLS and set " + name + " to https://host:port."
	}
	return "Serve the object store over TLS and remove what turns TLS off from " + name + ": no disableSSL=true " +
		"(or disable_https=true), an endpoint parameter of https://host:port or the host alone."
}

// blobPlain judges a gocloud.dev blob URL. It names what turns TLS off with
// fixed words only, never the URL, which may hold credentials.
func blobPlain(v string) (what string, off, unverified bool) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil {
		return "", false, false
	}
	q := u.Query()
	isTrue := func(k string) bool {
		for _, x := range q[k] {
			if b, err := strconv.ParseBool(x); err == nil && b {
				return true
			}
		}
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "an http:// URL", true, false
	case "s3":
		var found []string
		for _, k := range []string{"disableSSL", "disable_https"} {
			if isTrue(k) {
				found = append(found, k+"=true")
			}
		}
		for _, e := range q["endpoint"] {
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(e)), "http://") {
				found = append(found, "an endpoint parameter of http://")
				break
			}
		}
		if len(found) > 0 {
			return strings.Join(found, " and "), true, false
		}
	case "azblob":
		if strings.EqualFold(q.Get("protocol"), "http") {
			return "protocol=http", true, false
		}
		if isTrue("localemu") {
			return "localemu=true (the storage emulator, over http)", true, false
		}
	}
	return "", false, false
}

// searchPlain judges PULUMI_SEARCH_DOMAIN: an http:// URL is plain.
func searchPlain(v string) (string, bool, bool) {
	if u, err := url.Parse(strings.TrimSpace(v)); err == nil && strings.EqualFold(u.Scheme, "http") {
		return "an http:// URL", true, false
	}
	return "", false, false
}

// smtpUnverified judges SMTP_SERVER (host:port): on port 25, the relay
// port, TLS is STARTTLS when the server offers it, which the pack cannot
// see.
func smtpUnverified(v string) (string, bool, bool) {
	v = strings.TrimSpace(v)
	i := strings.LastIndexByte(v, ':')
	if i < 0 || strings.Contains(v[i+1:], "]") {
		return "", false, false
	}
	if port, err := strconv.Atoi(v[i+1:]); err == nil && port == 25 {
		return fmt.Sprintf("a mail server on port %d, where TLS is only STARTTLS when the server offers it", port),
			false, true
	}
	return "", false, false
}
