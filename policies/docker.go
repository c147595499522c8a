package policies

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/docker"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// A single Docker host (the local-docker installer): ports published on the
// host, and the TLS proxy container in front of the API and Console.

// DockerPublishedPortsRestricted keeps sensitive and plain-HTTP ports off
// the host's every address.
var DockerPublishedPortsRestricted = &policy.Policy{
	Name:        "docker-published-ports-restricted",
	DisplayName: "Docker containers publish no sensitive or plain-HTTP port on every host address",
	Description: "No Docker container (docker:index/container:Container) publishes a sensitive port (SSH, RDP, " +
		"databases, caches, search: sensitivePorts, as container or host port) or the API's or Console's " +
		"plain-HTTP port (8080, 3000, or PORT, when the container sets no TLS certificate and key) on every " +
		"address of the host: ports[].ip unset (pulumi-docker's default, 0.0.0.0), \"0.0.0.0\", \"::\" or " +
		"\"[::]\". A port bound to one address (127.0.0.1, a private address of the host) passes; so does the " +
		"TLS proxy's 443. Docker writes its own iptables rules for published ports, ahead of a host firewall " +
		"such as ufw, so the port is open to every network the host is on.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Bind the port to one address: set ports[].ip to \"127.0.0.1\" (the host only) or a private " +
		"address of the host, or drop the port and reach the container over its Docker network; publish on " +
		"every address only the TLS proxy's 443 (and 80 if it only redirects), and admit the ingress allowlist " +
		"in front of the host.",
	Params: []policy.Param{paramSensitivePorts.Param(), apiRole.paramDef(), consoleRole.paramDef()},
	Stack:  checkDockerPorts,
}

func checkDockerPorts(ctx *policy.StackContext) {
	for _, r := range ctx.Graph.OfType(docker.TypeContainer) {
		checkDockerContainerPorts(ctx, r)
	}
}

func checkDockerContainerPorts(ctx *policy.StackContext, r *graph.Resource) {
	rd := ctx.Read(r)
	ports, _ := docker.ReadPorts(rd)
	sensitive := paramSensitivePorts.Get(ctx.Config)
	var role string
	c := docker.Parse(ctx.Graph, r).Container
	switch {
	case apiRole.matchesImage(ctx.Config, ctx.Env, c.Image):
		role = "API"
	case consoleRole.matchesImage(ctx.Config, ctx.Env, c.Image):
		role = "Console"
	}
	plain, _ := plainHTTPPort(role, c)
	for _, p := range ports {
		var what string
		switch {
		case slices.Contains(sensitive, p.Internal) || (p.External != 0 && slices.Contains(sensitive, p.External)):
			what = "a sensitive port (sensitivePorts)"
		case plain != 0 && p.Internal == plain:
			what = fmt.Sprintf("the %s's plain-HTTP port (the container sets no TLS certificate and key)", role)
		default:
			continue
		}
		switch {
		case p.IPUnknown:
			rd.NoteUnknown(p.Path + ".ip")
		case p.AllInterfaces():
			ctx.ViolationFixf(r, fmt.Sprintf("Set %s.ip to \"127.0.0.1\" or a private address of the host, or "+
				"remove the port.", p.Path), "%s publishes container port %d/%s, %s, on %s, at %s: it is open to "+
				"every network the host is on", p.Path, p.Internal, p.Protocol, what, p.HostPort(), p.Shown())
		}
	}
}

// plainHTTPPort is the port an API or Console container serves plain HTTP
// on: 8080 or 3000, or PORT when set to a number; 0 when it sets its TLS
// certificate and key (it then serves HTTPS) or has no such role. known is
// false when PORT is set to something the pack cannot read.
func plainHTTPPort(role string, c workload.Container) (port int, known bool) {
	if role == "" || servesTLS(role, c) {
		return 0, true
	}
	port = 8080
	if role == "Console" {
		port = 3000
	}
	if s := lookup(c, "PORT"); s.set() {
		v, ok := s.Value.Str()
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || n <= 0 || n > 65535 {
			return port, false
		}
		port = n
	}
	return port, true
}

var paramTLSTerminatedAtProxy = policy.BoolParam{Name: "tlsTerminatedAtProxy", Description: "On a Docker " +
	"host, TLS for these containers ends at a reverse proxy container of the stack (the local-docker " +
	"installer's nginx) whose configuration the pack cannot read: its TLS variables are not needed. Without " +
	"this, such a proxy makes the finding \"cannot be verified\"."}

// dockerFront decides hop 1 or 2 for a Docker API or Console container that
// sets none of its TLS variables: a plain-HTTP port published on the host
// is a violation; a proxy container in front of it, whose configuration
// the pack cannot read, is "cannot be verified" unless the policy's config
// asserts it (asserted). It reports whether it decided; false leaves the
// container to the TLS variables' check.
func dockerFront(ctx *policy.StackContext, c workload.Container, role string, asserted bool) bool {
	if !docker.IsContainer(c.Owner.Type) || tlsVarsAny(role, c) {
		return false
	}
	plain, _ := plainHTTPPort(role, c)
	ports, _ := docker.ReadPorts(ctx.Read(c.Owner))
	for _, p := range ports {
		if p.Internal != plain || p.Loopback() {
			continue
		}
		ctx.ViolationFixf(c.Owner, fmt.Sprintf("Remove %s (the local-docker installer's exposeContainerPorts) "+
			"and reach the %s through the TLS proxy, or give the container its TLS certificate and key.", p.Path,
			role), "%s publishes the %s's plain-HTTP port %d on %s, at %s (%s): clients reach the %s without TLS",
			c.Label, role, p.Internal, p.HostPort(), p.Shown(), p.Path, role)
		return true
	}
	if asserted {
		return true
	}
	proxies := dockerProxies(ctx, c)
	if len(proxies) == 0 {
		return false
	}
	ctx.UnverifiableFixf(c.Owner, fmt.Sprintf("If %s ends TLS (1.2 or newer) for the %s, set this policy's "+
		"config tlsTerminatedAtProxy: true; otherwise give the %s container its TLS variables.",
		docker.Parse(ctx.Graph, proxies[0]).Container.Label, role, role), "cannot be verified: %s sets no TLS variables, so "+
		"it serves plain HTTP (port %d), which it does not publish on the host, and TLS may end at %s, which "+
		"publishes ports on the host and may share its network; the proxy's configuration is not in the stack "+
		"(the local-docker installer writes it to a host file and gives the container only its hash)",
		c.Label, plain, proxyNames(ctx, proxies))
	return true
}

// tlsVarsAny reports whether the container sets any of its role's TLS
// certificate and key variables: then the TLS variables' check judges it.
func tlsVarsAny(role string, c workload.Container) bool {
	prefix := "API"
	if role == "Console" {
		prefix = "CONSOLE"
	}
	return lookup(c, prefix+"_TLS_CERTIFICATE").set() || lookup(c, prefix+"_TLS_PRIVATE_KEY").set()
}

// dockerProxies are the Docker containers of the stack that may stand in
// front of c: not of the service's roles, publishing a port on the host,
// and on a network c may share.
func dockerProxies(ctx *policy.StackContext, c workload.Container) []*graph.Resource {
	self := docker.Parse(ctx.Graph, c.Owner)
	var out []*graph.Resource
	for _, r := range ctx.Graph.OfType(docker.TypeContainer) {
		if r == c.Owner {
			continue
		}
		p := docker.Parse(ctx.Graph, r)
		img := p.Container.Image
		if apiRole.matchesImage(ctx.Config, ctx.Env, img) || consoleRole.matchesImage(ctx.Config, ctx.Env, img) ||
			migrationsRole.matchesImage(ctx.Config, ctx.Env, img) {
			continue
		}
		if v := r.Props.Get(pPorts); v.Len() == 0 && !v.IsUnknown() {
			continue
		}
		if docker.Shares(self, p) {
			out = append(out, r)
		}
	}
	return out
}

// proxyNames lists proxies for messages.
func proxyNames(ctx *policy.StackContext, rs []*graph.Resource) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = docker.Parse(ctx.Graph, r).Container.Label
	}
	return strings.Join(names, ", ")
}

var pPorts = props.MustPath("ports")
