package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// The encryption-in-transit family: the guide's three hops, the load
// balancer in front of them, the database's own TLS setting and OpenSearch.

// APITLS requires TLS on the API container (hop 2).
var APITLS = &policy.Policy{
	Name:        "api-tls",
	DisplayName: "The API serves TLS",
	Description: "API containers (ECS task definitions and Kubernetes workloads) set API_TLS_CERTIFICATE, " +
		"API_TLS_PRIVATE_KEY (from a secret) and API_MIN_TLS_VERSION (1.2 or 1.3): hop 2, clients and the " +
		"Console to the API.",
	Section:   InTransit,
	Reference: refHop2,
	Why:       "the hardening guide's hop 2 (clients and Console to API) is encrypted only when the API container has a TLS certificate, key and minimum version",
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Give the API container API_TLS_CERTIFICATE (PEM) and API_MIN_TLS_VERSION \"1.2\" and " +
		"API_TLS_PRIVATE_KEY (PEM) from a secret (ECS secrets; a Kubernetes secretKeyRef); it then serves " +
		"HTTPS on 8443.",
	Params: []policy.Param{apiRole.paramDef()},
	Stack:  checkAPITLS,
}

func checkAPITLS(ctx *policy.StackContext) {
	for _, c := range containersOf(ctx, apiRole) {
		requireVars(ctx, c, []string{"API_TLS_CERTIFICATE", "API_MIN_TLS_VERSION"}, []string{"API_TLS_PRIVATE_KEY"})
		checkMinTLS(ctx, c, "API_MIN_TLS_VERSION")
	}
}

var (
	paramConsoleTLSTerminatedAtLoadBalancer = policy.BoolParam{Name: "consoleTlsTerminatedAtLoadBalancer",
		Description: "TLS for the Console ends at a load balancer in front of it (the guide's exception): its " +
			"TLS variables are not needed."}
	paramAPIUsesPrivateCA = policy.BoolParam{Name: "apiUsesPrivateCa", Description: "The API's certificate " +
		"is self-signed or from an internal CA, so the Console must trust it through NODE_EXTRA_CA_CERTS."}
)

// ConsoleTLS requires TLS on the Console container (hop 1).
var ConsoleTLS = &policy.Policy{
	Name:        "console-tls",
	DisplayName: "The Console serves TLS",
	Description: "Console containers (ECS task definitions and Kubernetes workloads) set " +
		"CONSOLE_TLS_CERTIFICATE and CONSOLE_TLS_PRIVATE_KEY (from a secret) unless TLS ends at the load balancer; CONSOLE_MIN_TLS_VERSION, when set, is 1.2 or 1.3; " +
		"NODE_EXTRA_CA_CERTS is set when the API's certificate comes from a private CA.",
	Section:   InTransit,
	Reference: refHop1,
	Why:       "the hardening guide's hop 1 (browsers to Console) is encrypted by the Console's TLS variables, or by a load balancer that terminates TLS in front of it",
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Give the Console container CONSOLE_TLS_CERTIFICATE and CONSOLE_TLS_PRIVATE_KEY (from " +
		"a secret), or terminate TLS at the load balancer and say so with this policy's config " +
		"consoleTlsTerminatedAtLoadBalancer: true.",
	Params: []policy.Param{consoleRole.paramDef(), paramConsoleTLSTerminatedAtLoadBalancer.Param(),
		paramAPIUsesPrivateCA.Param()},
	Stack: checkConsoleTLS,
}

func checkConsoleTLS(ctx *policy.StackContext) {
	for _, c := range containersOf(ctx, consoleRole) {
		if !paramConsoleTLSTerminatedAtLoadBalancer.Get(ctx.Config) {
			requireVars(ctx, c, []string{"CONSOLE_TLS_CERTIFICATE"}, []string{"CONSOLE_TLS_PRIVATE_KEY"})
		}
		checkMinTLS(ctx, c, "CONSOLE_MIN_TLS_VERSION")
		if paramAPIUsesPrivateCA.Get(ctx.Config) && !lookup(c, "NODE_EXTRA_CA_CERTS").set() {
			reportMissing(ctx, c, "NODE_EXTRA_CA_CERTS",
				"Set NODE_EXTRA_CA_CERTS on the Console container to the path of the CA's PEM file.",
				"%s does not set NODE_EXTRA_CA_CERTS, though the API's certificate comes from a private CA "+
					"(policy config apiUsesPrivateCa): the Console will not trust the API", c.Label)
		}
	}
}

// DatabaseTLS requires the API and migrations to reach MySQL over TLS (hop 3).
var DatabaseTLS = &policy.Policy{
	Name:        "database-tls",
	DisplayName: "The API and migrations reach the database over TLS",
	Description: "API and migrations containers (ECS task definitions and Kubernetes workloads, init " +
		"containers too) set DATABASE_CA_CERTIFICATE and DATABASE_MIN_TLS_VERSION (1.2 or 1.3) together: hop 3, API to MySQL. With one but not the other there is no TLS at all.",
	Section:   InTransit,
	Reference: refHop3,
	Why:       "the hardening guide's hop 3 (API to MySQL) is encrypted only when both DATABASE_CA_CERTIFICATE and DATABASE_MIN_TLS_VERSION are set",
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set DATABASE_CA_CERTIFICATE (the PEM of the CAs that sign the database's certificate: the RDS " +
		"CA bundle on AWS, DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017 on Azure " +
		"Database for MySQL, the instance's server CA on Cloud SQL) and DATABASE_MIN_TLS_VERSION \"1.2\" on the " +
		"API and migrations containers.",
	Params: []policy.Param{apiRole.paramDef(), migrationsRole.paramDef()},
	Stack:  checkDatabaseTLS,
}

func checkDatabaseTLS(ctx *policy.StackContext) {
	fix := databaseCAFix(ctx)
	for _, c := range containersOf(ctx, apiRole, migrationsRole) {
		ca, min := lookup(c, "DATABASE_CA_CERTIFICATE"), lookup(c, "DATABASE_MIN_TLS_VERSION")
		switch {
		case !ca.set() && !min.set():
			reportMissing(ctx, c, "DATABASE_CA_CERTIFICATE and DATABASE_MIN_TLS_VERSION", fix, "%s sets neither "+
				"DATABASE_CA_CERTIFICATE nor DATABASE_MIN_TLS_VERSION: it talks to the database without TLS", c.Label)
		case !ca.set():
			reportMissing(ctx, c, "DATABASE_CA_CERTIFICATE", fix, "%s sets DATABASE_MIN_TLS_VERSION but not "+
				"DATABASE_CA_CERTIFICATE; both are required, and with one alone there is no TLS at all", c.Label)
		case !min.set():
			reportMissing(ctx, c, "DATABASE_MIN_TLS_VERSION", fix, "%s sets DATABASE_CA_CERTIFICATE but not "+
				"DATABASE_MIN_TLS_VERSION; both are required, and with one alone there is no TLS at all", c.Label)
		default:
			checkMinTLS(ctx, c, "DATABASE_MIN_TLS_VERSION")
		}
	}
}

// DatabaseRequiresTLS requires the database itself to refuse plain
// connections.
var DatabaseRequiresTLS = &policy.Policy{
	Name:        "database-requires-tls",
	DisplayName: "The database refuses connections without TLS",
	Description: "MySQL and Aurora MySQL databases use a parameter group with require_secure_transport ON; " +
		"PostgreSQL (and SQL Server) ones rds.force_ssl 1. The default parameter group does neither, except " +
		"for RDS for PostgreSQL 15 and later (also when engineVersion is not set: RDS then creates its current " +
		"default version) and Aurora PostgreSQL 17 and later, whose default is rds.force_ssl 1. Azure Database " +
		"for MySQL flexible servers keep require_secure_transport ON and tls_version TLSv1.2 or TLSv1.3 (their " +
		"defaults) in every azure-native:dbformysql:Configuration; Cloud SQL instances set " +
		"settings.ipConfiguration.sslMode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED (the default " +
		"allows unencrypted connections), or the legacy requireSsl: true.",
	Section:   InTransit,
	Reference: refHop3,
	Why:       "the hardening guide asks for TLS on every hop; only the database's own setting stops a client from connecting without it",
	Level:     policy.Mandatory,
	Severity:  policy.Medium,
	Remediation: "Create a parameter group (aws.rds.ClusterParameterGroup for Aurora and Multi-AZ clusters, " +
		"aws.rds.ParameterGroup for instances) of the engine's family with require_secure_transport = ON " +
		"(MySQL) or rds.force_ssl = 1 (PostgreSQL), and name it in dbClusterParameterGroupName / " +
		"parameterGroupName. On Azure Database for MySQL, set the server parameter require_secure_transport to ON " +
		"(az mysql flexible-server parameter set); on Cloud SQL, settings.ipConfiguration.sslMode to " +
		"ENCRYPTED_ONLY.",
	Stack: checkDatabaseRequiresTLS,
}

func checkDatabaseRequiresTLS(ctx *policy.StackContext) {
	for _, db := range sources.DatabaseTLS(ctx.Graph) {
		for _, t := range db.Settings {
			switch {
			case t.Gap != nil:
				t.Gap.Decide(ctx)
			case t.Unseen != "":
				ctx.Unverifiablef(t.Where, "%s", t.Unseen)
			case t.What != "":
				ctx.ViolationFixf(t.Where, t.Fix, "%s", t.What)
			}
		}
	}
}

var (
	paramAllowedSSLPolicies = policy.StringsParam{Name: "allowedSslPolicies", Description: "Listener " +
		"security policies (shell patterns) that allow only TLS 1.2 or newer. " + describeSSLPolicyDefaults(),
		Default: append([]string(nil), defaultAllowedSSLPolicies...)}
	paramTLSTerminatedAtLoadBalancer = policy.BoolParam{Name: "tlsTerminatedAtLoadBalancer",
		Description: "TLS ends at the load balancer; target groups of the API and Console may use HTTP."}
)

// LoadBalancerTLS requires modern TLS at the load balancer and TLS behind it.
var LoadBalancerTLS = &policy.Policy{
	Name:        "load-balancer-tls",
	DisplayName: "Load balancers speak TLS 1.2+ and only redirect plain HTTP",
	Description: "HTTPS and TLS listeners use a security policy that allows only TLS 1.2 or newer (by default " +
		"ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-* or -FS-1-2-*); an HTTP listener only " +
		"redirects to HTTPS and no listener rule on it forwards traffic; target groups in front of API or " +
		"Console containers use HTTPS or TLS, or TCP to a container that serves TLS itself, unless TLS ends " +
		"at the load balancer. On Kubernetes, the load balancer an Ingress makes (AWS Load Balancer " +
		"Controller: an HTTPS listen port, ssl-redirect for HTTP ones, an allowed ssl-policy, whose default " +
		"ELBSecurityPolicy-2016-08 is not; ingress-nginx: spec.tls, ssl-redirect not false) and a " +
		"LoadBalancer Service with a certificate (an allowed ssl-negotiation-policy).",
	Section:   InTransit,
	Reference: refInTransit,
	Controls:  []policy.Control{fsbpELB1, fsbpELB17},
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set sslPolicy to " + recommendedSSLPolicy + " (or another TLS 1.2+ policy); make the " +
		"HTTP listener's only action a redirect to HTTPS (port 443, statusCode HTTP_301) and move its " +
		"forwarding rules to the HTTPS listener; give target groups of the API and Console protocol HTTPS " +
		"(TLS, or TCP to a container serving TLS, behind a Network Load Balancer).",
	Params: []policy.Param{paramAllowedSSLPolicies.Param(), paramTLSTerminatedAtLoadBalancer.Param(),
		apiRole.paramDef(), consoleRole.paramDef()},
	Types:    append([]string{aws.TypeLBListener, aws.TypeALBListener}, kube.EdgeTypes...),
	Resource: checkListener,
	Stack:    checkListenerRulesAndTargets,
	Fixes:    fixesLBTLS,
}

func listenerProtocol(rd policy.Reader) (string, policy.State) {
	p, st := rd.String("protocol")
	if st == policy.Absent {
		return "HTTP", policy.Known // the default for application load balancers
	}
	return strings.ToUpper(p), st
}

func checkListener(ctx *policy.ResourceContext) {
	if kube.IsEdge(ctx.Resource.Type) {
		checkEdgeTLS(ctx)
		return
	}
	proto, st := listenerProtocol(ctx.Reader)
	if st != policy.Known {
		return
	}
	switch proto {
	case "HTTPS", "TLS":
		checkSSLPolicy(ctx)
	case "HTTP":
		checkHTTPListener(ctx)
	}
}

// checkHTTPListener judges an HTTP listener's default actions: each must
// redirect to HTTPS. When every action is decided, the fix replaces them
// with one redirect to HTTPS (an existing one kept whole: host, path, port,
// status).
func checkHTTPListener(ctx *policy.ResourceContext) {
	actions, st := ctx.Items("defaultActions")
	if st != policy.Known {
		return
	}
	var found []string // what each action that does not redirect to HTTPS does
	var keep []any
	decided := true
	for _, a := range actions {
		typ, st := a.String("type")
		if st != policy.Known {
			decided = false
			continue
		}
		if typ != "redirect" {
			found = append(found, fmt.Sprintf("%s is %q: an HTTP listener must only redirect to HTTPS, or plain "+
				"HTTP reaches the service", a.Base(), typ))
			continue
		}
		p, st := a.String("redirect.protocol")
		switch {
		case st.Undecided():
			decided = false // noted, no verdict
		case strings.EqualFold(p, "HTTPS"):
			if keep == nil {
				keep = []any{ctx.Value(a.Base())}
			}
		default:
			found = append(found, a.Base()+" redirects, but not to HTTPS")
		}
	}
	fix := policy.Fix{Text: "Make one redirect to HTTPS (protocol HTTPS, port 443, statusCode HTTP_301) this " +
		"listener's only default action, and move any listener rule that forwards from it to the HTTPS listener."}
	if decided {
		if keep == nil {
			keep = []any{map[string]any{"type": "redirect", "redirect": map[string]any{
				"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301",
			}}}
		}
		fix.Edits = []policy.Edit{{Path: "defaultActions", Value: keep}}
	}
	for _, what := range found {
		ctx.Report(fix, "%s", what)
	}
}

// checkSSLPolicy judges an HTTPS or TLS listener's sslPolicy against
// allowedSslPolicies, naming the oldest TLS version of a predefined policy
// the patterns refuse.
func checkSSLPolicy(ctx *policy.ResourceContext) {
	sp, st := ctx.String("sslPolicy")
	if st == policy.Absent {
		ctx.Report(policy.Fix{Text: fmt.Sprintf("Set sslPolicy to %s (or another policy of TLS 1.2 or newer).",
			recommendedSSLPolicy), Edits: sslPolicyEdit(ctx, "sslPolicy", "")},
			"sslPolicy is not set, so AWS uses ELBSecurityPolicy-2016-08, which allows TLS 1.0 and 1.1")
		return
	}
	if st != policy.Known {
		return // unknown or malformed: noted, no verdict
	}
	judgeSSLPolicy(ctx, "sslPolicy", "sslPolicy", sp, ctx.Value("sslPolicy").Describe())
}

// sslPolicyEdit is the edit that sets the security policy at path (""
// for none: reported, not changed) in place of current: see fixSSLPolicy.
func sslPolicyEdit(ctx *policy.ResourceContext, path, current string) []policy.Edit {
	if path == "" {
		return nil
	}
	if fix, ok := fixSSLPolicy(paramAllowedSSLPolicies.Get(ctx.Config), current); ok {
		return []policy.Edit{{Path: path, Value: fix}}
	}
	return nil
}

// judgeSSLPolicy judges a security policy name written at where (shown is
// how to print it: "[secret]" for a secret); edit is the property path a
// remediation sets ("" when it must not change it).
func judgeSSLPolicy(ctx *policy.ResourceContext, where, edit, sp, shown string) {
	allowed := paramAllowedSSLPolicies.Get(ctx.Config)
	if matchAny(allowed, sp) {
		return
	}
	fix := fmt.Sprintf("Set %s to %s (TLS 1.3 and 1.2) or another policy that allowedSslPolicies (%s) admits.",
		where, recommendedSSLPolicy, strings.Join(allowed, ", "))
	if strings.Contains(sp, "FIPS") {
		fix = fmt.Sprintf("Set %s to ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09 (FIPS, TLS 1.3 "+
			"and 1.2) or another policy that allowedSslPolicies (%s) admits.", where, strings.Join(allowed, ", "))
	}
	f := policy.Fix{Text: fix, Edits: sslPolicyEdit(ctx, edit, sp)}
	min, known := SSLPolicyMinTLS(sp)
	switch {
	case known && !sslPolicyFloorOK(min):
		ctx.Report(f, "%s %s allows TLS %s, older than TLS 1.2: clients may negotiate a "+
			"deprecated protocol version", where, shown, min)
	case known:
		ctx.Report(f, "%s %s (TLS %s and newer) matches none of this policy's "+
			"allowedSslPolicies (%s)", where, shown, min, strings.Join(allowed, ", "))
	default:
		ctx.Report(f, "%s %s is not a predefined ELB security policy known to allow only TLS "+
			"1.2 or newer, and matches none of allowedSslPolicies (%s)", where, shown, strings.Join(allowed, ", "))
	}
}

// checkEdgeTLS judges the load balancer an Ingress or a LoadBalancer
// Service makes: HTTPS at all, plain HTTP only redirected, and the security
// policy of its TLS listeners (unset: the controller's default,
// ELBSecurityPolicy-2016-08). A Service without a certificate passes TCP
// through to the pods, whose TLS api-tls and console-tls judge.
func checkEdgeTLS(ctx *policy.ResourceContext) {
	e, ok := kube.ReadEdge(ctx.Reader, true)
	if !ok || !e.ListenersKnown || e.ServiceTLSUnset {
		return
	}
	switch e.Controller {
	case kube.Nginx:
		switch {
		case !e.TLS:
			ctx.ViolationFixf("Add spec.tls with the host and a TLS Secret, so ingress-nginx serves HTTPS and "+
				"redirects HTTP to it.", "spec.tls is empty: ingress-nginx serves this Ingress over plain HTTP only")
		case e.NginxRedirectOff:
			ctx.ViolationFixf(fmt.Sprintf("Remove %s (it defaults to true when spec.tls is set).", e.NginxRedirectOffPath),
				"%s is \"false\": ingress-nginx serves plain HTTP beside HTTPS instead of redirecting it",
				e.NginxRedirectOffPath)
		}
		return
	case kube.ALB:
		var https, plain []string
		for _, l := range e.Listeners {
			switch l.Protocol {
			case "HTTPS":
				https = append(https, fmt.Sprint(l.Port))
			case "HTTP":
				plain = append(plain, fmt.Sprint(l.Port))
			}
		}
		if len(https) == 0 {
			ctx.ViolationFixf(fmt.Sprintf("Set %s to '[{\"HTTP\": 80}, {\"HTTPS\": 443}]' with "+
				"alb.ingress.kubernetes.io/certificate-arn and alb.ingress.kubernetes.io/ssl-redirect: \"443\".",
				e.ListenersPath), "the load balancer has no HTTPS listener (%s): it serves plain HTTP only", e.ListenersPath)
			return
		}
		if len(plain) > 0 && !e.Redirect {
			ctx.Report(policy.Fix{Text: fmt.Sprintf("Add alb.ingress.kubernetes.io/ssl-redirect: \"%s\" so HTTP "+
				"only redirects to HTTPS.", https[0]), Edits: []policy.Edit{{Path: albAnnotation("ssl-redirect"),
				Value: https[0]}}},
				"the load balancer listens on HTTP %s (%s) without alb.ingress.kubernetes.io/ssl-redirect: plain "+
					"HTTP is forwarded to the service", strings.Join(plain, ", "), e.ListenersPath)
		}
	}
	if !e.TLS || !e.SSLPolicyKnown {
		return // no certificate (noted when unknown), or a policy not known until update
	}
	edit := "" // a Service's policy annotation is reported, not changed
	if e.Controller == kube.ALB {
		edit = albAnnotation("ssl-policy")
	}
	if e.SSLPolicy == "" {
		ctx.Report(policy.Fix{Text: fmt.Sprintf("Set %s to %s (or another policy of TLS 1.2 or newer).",
			e.SSLPolicyPath, recommendedSSLPolicy), Edits: sslPolicyEdit(ctx, edit, "")},
			"%s is not set, so the %s gives the TLS listener %s, which allows TLS 1.0 and 1.1",
			e.SSLPolicyPath, e.Controller, kube.ALBDefaultSSLPolicy)
		return
	}
	judgeSSLPolicy(ctx, e.SSLPolicyPath, edit, e.SSLPolicy, fmt.Sprintf("%q", e.SSLPolicy))
}

var (
	pListenerArn    = props.MustPath("listenerArn")
	pTargetGroupArn = props.MustPath("targetGroupArn")
)

// servesTLS reports whether a container of the role serves TLS itself (its
// certificate and key are set, in the environment or in secrets).
func servesTLS(role string, c workload.Container) bool {
	prefix := "API"
	if role == "Console" {
		prefix = "CONSOLE"
	}
	return lookup(c, prefix+"_TLS_CERTIFICATE").set() && lookup(c, prefix+"_TLS_PRIVATE_KEY").set()
}

func checkListenerRulesAndTargets(ctx *policy.StackContext) {
	for _, rule := range ctx.Graph.OfType(aws.TypeLBListenerRule, aws.TypeALBListenerRule) {
		for _, ref := range ctx.Graph.Refs(rule, pListenerArn, aws.TypeLBListener, aws.TypeALBListener) {
			if l, _ := ctx.Follow(rule, ref); l == nil {
				continue
			}
			proto, st := listenerProtocol(ctx.Read(ref.Target))
			if st != policy.Known || proto != "HTTP" {
				continue
			}
			actions, _ := ctx.Read(rule).Items("actions")
			for _, a := range actions {
				if typ, st := a.String("type"); st == policy.Known && typ == "forward" {
					ctx.Violationf(rule, "%s forwards traffic, and the rule is on HTTP listener %q: requests "+
						"reach the service over plain HTTP", a.Base(), ref.Target.Name)
				}
			}
		}
	}
	if paramTLSTerminatedAtLoadBalancer.Get(ctx.Config) {
		return
	}
	seen := map[*graph.Resource]bool{}
	for _, svc := range ctx.Graph.OfType(aws.TypeECSService) {
		// Containers of a task definition that is unknown or malformed are
		// not known (noted by Parse): no verdict on their target groups.
		var containers []workload.Container
		for _, ref := range ctx.Graph.Refs(svc, pTaskDefinition, taskdef.Type) {
			if ref.Target != nil {
				containers, _ = taskdef.Parse(ctx.Read(ref.Target))
			}
		}
		lbs, _ := ctx.Read(svc).Items("loadBalancers")
		for _, lb := range lbs {
			name, _ := lb.String("containerName")
			var role string
			var target workload.Container
			for _, c := range containers {
				if c.Name != name {
					continue
				}
				switch {
				case apiRole.matches(ctx, c):
					role, target = "API", c
				case consoleRole.matches(ctx, c):
					role, target = "Console", c
				}
			}
			if role == "" {
				continue
			}
			for _, ref := range ctx.Graph.Refs(svc, props.MustPath(lb.Base()).Key("targetGroupArn"),
				aws.TypeLBTargetGroup, aws.TypeALBTargetGroup) {
				tg := ref.Target
				if tg == nil || seen[tg] {
					continue
				}
				seen[tg] = true
				judgeTargetGroup(ctx, svc, tg, role, target)
			}
		}
	}
}

// judgeTargetGroup judges the protocol of a target group in front of an API
// or Console container. HTTPS and TLS (re-encrypt) and QUIC carry TLS to the
// container; TCP (and TCP_UDP, TCP_QUIC) pass the client's bytes through, so
// they carry TLS only when the container serves it itself; HTTP, UDP and
// GENEVE never do.
func judgeTargetGroup(ctx *policy.StackContext, svc, tg *graph.Resource, role string, c workload.Container) {
	rd := ctx.Read(tg)
	proto, st := rd.String("protocol")
	switch st {
	case policy.Unknown, policy.Invalid:
		return // noted, no verdict
	case policy.Absent:
		// pulumi-aws (and the Terraform provider under it) gives protocol no
		// default: it is required for target types instance, ip and alb and
		// does not apply to lambda, which ECS services cannot use (aws.lb.TargetGroup,
		// https://www.pulumi.com/registry/packages/aws/api-docs/lb/targetgroup/).
		rd.NoteInvalid("protocol is not set, and a target group of an ECS service needs one (it has no default)")
		return
	}
	keyVars := "API_TLS_CERTIFICATE and API_TLS_PRIVATE_KEY"
	if role == "Console" {
		keyVars = "CONSOLE_TLS_CERTIFICATE and CONSOLE_TLS_PRIVATE_KEY"
	}
	shown := rd.Value("protocol").Describe()
	switch p := strings.ToUpper(strings.TrimSpace(proto)); p {
	case "HTTPS", "TLS", "QUIC":
	case "TCP", "TCP_UDP", "TCP_QUIC":
		if servesTLS(role, c) {
			return // TLS passes through to the container, which terminates it
		}
		ctx.ViolationFixf(tg, fmt.Sprintf("Give the %s container %s (the key through secrets) so it serves "+
			"TLS itself and TCP passes TLS through, or set this policy's config tlsTerminatedAtLoadBalancer: "+
			"true if TLS ends at the load balancer by design.", role, keyVars),
			"target group forwards %s to the %s container %q of %s, which serves no TLS (it does not set both "+
				"%s): the load balancer passes plain text to the service", p, role, c.Name, svc.Label(), keyVars)
	case "HTTP", "UDP", "GENEVE":
		ctx.ViolationFixf(tg, "Set protocol: \"HTTPS\" (and the health check's) with the container serving "+
			"TLS, or set this policy's config tlsTerminatedAtLoadBalancer: true if TLS ends at the "+
			"load balancer by design.",
			"target group forwards %s to the %s container %q of %s: the load balancer talks to the "+
				"service in plain text", p, role, c.Name, svc.Label())
	default:
		rd.NoteInvalid(fmt.Sprintf("protocol %s is not a target group protocol (HTTP, HTTPS, TCP, TLS, UDP, "+
			"TCP_UDP, GENEVE, QUIC, TCP_QUIC)", shown))
	}
}

// OpenSearchDomainEncrypted requires OpenSearch encryption at rest and in
// transit.
var OpenSearchDomainEncrypted = &policy.Policy{
	Name:        "opensearch-domain-encrypted",
	DisplayName: "OpenSearch encrypts at rest, between nodes and to clients",
	Description: "OpenSearch (and Elasticsearch) domains enable encryption at rest and node-to-node " +
		"encryption, enforce HTTPS, and use a TLS security policy of TLS 1.2 or newer.",
	Section:   InTransit,
	Reference: refInTransit,
	Controls:  []policy.Control{fsbpOpensearch1, fsbpOpensearch8},
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set encryptAtRest.enabled, nodeToNodeEncryption.enabled and domainEndpointOptions.enforceHttps " +
		"to true and domainEndpointOptions.tlsSecurityPolicy to Policy-Min-TLS-1-2-PFS-2023-10 (or " +
		"Policy-Min-TLS-1-2-2019-07). Encryption at rest and node-to-node encryption need a new domain.",
	Types:    []string{aws.TypeOpenSearchDomain, aws.TypeElasticsearchDomain},
	Resource: checkOpenSearch,
	Fixes:    fixesOpenSearch,
}

func checkOpenSearch(ctx *policy.ResourceContext) {
	var off []string
	var fix policy.Fix
	for _, p := range []string{"encryptAtRest.enabled", "nodeToNodeEncryption.enabled", "domainEndpointOptions.enforceHttps"} {
		if v, st := ctx.Bool(p); st == policy.Absent || (st == policy.Known && !v) {
			off = append(off, p)
		}
	}
	if slices.Contains(off, "domainEndpointOptions.enforceHttps") {
		// Switched on in place; encryption at rest and node-to-node
		// encryption replace the domain and stay reported.
		fix.Edits = []policy.Edit{{Path: "domainEndpointOptions.enforceHttps", Value: true}}
	}
	if len(off) > 0 {
		ctx.Report(fix, "%s %s not true", strings.Join(off, ", "), map[bool]string{true: "are", false: "is"}[len(off) > 1])
	}
	tp, st := ctx.String("domainEndpointOptions.tlsSecurityPolicy")
	tlsFix := policy.Fix{Edits: []policy.Edit{{Path: "domainEndpointOptions.tlsSecurityPolicy", Value: openSearchTLSPolicy}}}
	switch {
	case st == policy.Absent:
		ctx.Report(tlsFix, "domainEndpointOptions.tlsSecurityPolicy is not set, and older domains default to "+
			"Policy-Min-TLS-1-0-2019-07; set a TLS 1.2 policy explicitly")
	case st == policy.Known && !strings.HasPrefix(tp, "Policy-Min-TLS-1-2") && !strings.HasPrefix(tp, "Policy-Min-TLS-1-3"):
		ctx.Report(tlsFix, "domainEndpointOptions.tlsSecurityPolicy %q allows TLS older than 1.2", tp)
	}
}
