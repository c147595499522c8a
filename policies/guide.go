package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/policy"

// The compliance framework every policy belongs to: Pulumi's self-hosting
// security-hardening guide, set once on the pack (policy.Pack.Guide). The
// guide's text carries no date or version (its front matter has only a title
// and a URL), so GuideVersion names the text the policies were written
// against by its SHA-256 (the first 12 hex digits of the digest of
// ../shared/reference/security-hardening.md; a test checks it when that copy
// is there). Change the policies, then the digest, when the guide changes.
const (
	GuideName    = "Pulumi self-hosting security hardening guide"
	GuideVersion = "sha256:6a35ab96b7cd"
)

// Guide is the pack's compliance framework.
var Guide = policy.Guide{Name: GuideName, Version: GuideVersion}

const guideURL = "https://www.pulumi.com/docs/administration/self-hosting/operations/security-hardening/"

// The guide's sections. A policy's Section gives its tag, its link (also its
// compliance framework's specification) and the reason in its messages.
var (
	Network = policy.Section{
		Tag:   "network",
		Title: "Network security",
		URL:   guideURL + "#network-security",
		Why: "the hardening guide asks for the database and application containers in private subnets " +
			"with no direct internet access, security groups that restrict traffic between tiers, " +
			"and an ingress allowlist by IP range",
	}
	AtRest = policy.Section{
		Tag:   "encryption-at-rest",
		Title: "Encryption (at rest)",
		URL:   guideURL + "#encryption",
		Why:   "the hardening guide asks for storage encryption on database clusters and object storage buckets",
	}
	Secrets = policy.Section{
		Tag:   "secrets",
		Title: "Encryption (secrets)",
		URL:   guideURL + "#encryption",
		Why: "the hardening guide asks that license keys, TLS certificates, SMTP credentials and database " +
			"passwords be stored as Pulumi secrets (pulumi config set --secret), never in plain text",
	}
	InTransit = policy.Section{
		Tag:   "encryption-in-transit",
		Title: "Encryption in transit",
		URL:   guideURL + "#encryption-in-transit",
		Why: "the hardening guide asks for TLS on every hop: clients to Console, clients and Console to API, " +
			"and API to the database",
	}
	SMTP = policy.Section{
		Tag:   "smtp-captcha",
		Title: "SMTP and email",
		URL:   guideURL + "#smtp-and-email",
		Why: "the hardening guide asks for SMTP for invitations, notifications and password resets, " +
			"unless the organization uses SAML SSO only",
	}
	Captcha = policy.Section{
		Tag:   "smtp-captcha",
		Title: "CAPTCHA and bot protection",
		URL:   guideURL + "#captcha-and-bot-protection",
		Why:   "the hardening guide asks for Cloudflare Turnstile (the recaptcha settings) to protect sign-up",
	}
)

// Parts of the guide a policy implements: its Reference, which becomes its
// compliance framework's reference.
const (
	refNetwork   = "Network security"
	refAtRest    = "Encryption: at rest"
	refSecrets   = "Encryption: secrets"
	refInTransit = "Encryption in transit"
	refHop1      = "Encryption in transit: Hop 1: Clients → Console"
	refHop2      = "Encryption in transit: Hop 2: Clients and Console → API"
	refHop3      = "Encryption in transit: Hop 3: API → MySQL"
	refSMTP      = "SMTP and email"
	refCaptcha   = "CAPTCHA and bot protection"
)
