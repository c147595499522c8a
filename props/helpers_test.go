package props

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// The wire constants, spelled out literally (as in Pulumi's sdk/v3
// go/common/resource/sig) so that a typo in the package's own constants
// makes the tests fail instead of agreeing with it.
const (
	wSigKey       = "4dabf18193072939515e22adb298388d"
	wSecret       = "1b47061264138c4ac30d75fd1eb44270"
	wResourceRef  = "5cf8f73096256a8f31e491e813e4eb8e"
	wOutputValue  = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
	wByteString   = "803fd3297a5875dc03ca845dda5d2a98"
	wAsset        = "c44067f5952c0a294b673a41bacd8c17"
	wArchive      = "0def7320c3a5731c473e5ecbe6d01bc7"
	wUnknownStr   = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	wUnknownBool  = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"
	wUnknownNum   = "3eeb2bf0-c639-47a8-9e75-3b44932eb421"
	wUnknownArr   = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"
	wUnknownAsset = "030794c1-ac77-496b-92df-f27374a8bd58"
	wUnknownArch  = "e48ece36-62e2-4504-bad9-02848725956a"
	wUnknownObj   = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"
)

var allUnknownSentinels = []string{
	wUnknownBool, wUnknownNum, wUnknownStr, wUnknownArr, wUnknownAsset, wUnknownArch, wUnknownObj,
}

// Wire builders.

func wNull() *structpb.Value         { return structpb.NewNullValue() }
func wBool(b bool) *structpb.Value   { return structpb.NewBoolValue(b) }
func wNum(n float64) *structpb.Value { return structpb.NewNumberValue(n) }
func wStr(s string) *structpb.Value  { return structpb.NewStringValue(s) }
func wList(items ...*structpb.Value) *structpb.Value {
	return structpb.NewListValue(&structpb.ListValue{Values: items})
}

func wObj(fields map[string]*structpb.Value) *structpb.Value {
	return structpb.NewStructValue(&structpb.Struct{Fields: fields})
}

// wSig builds a special object: the signature under the signature key plus
// the given fields.
func wSig(sig string, fields map[string]*structpb.Value) *structpb.Value {
	f := map[string]*structpb.Value{wSigKey: wStr(sig)}
	for k, v := range fields {
		f[k] = v
	}
	return wObj(f)
}

func wSecretOf(v *structpb.Value) *structpb.Value {
	return wSig(wSecret, map[string]*structpb.Value{"value": v})
}

// valueEqual compares two Values structurally: kind, secrecy and content.
// An empty array equals a nil one; NaN equals NaN.
func valueEqual(a, b Value) bool {
	if a.kind != b.kind || a.secret != b.secret {
		return false
	}
	switch a.kind {
	case Bool:
		return a.b == b.b
	case Number:
		return a.n == b.n || (math.IsNaN(a.n) && math.IsNaN(b.n))
	case String:
		return a.s == b.s
	case ResourceRef:
		return a.s == b.s && a.id == b.id
	case Array:
		if len(a.arr) != len(b.arr) {
			return false
		}
		for i := range a.arr {
			if !valueEqual(a.arr[i], b.arr[i]) {
				return false
			}
		}
	case Object:
		if len(a.obj) != len(b.obj) {
			return false
		}
		for k, av := range a.obj {
			bv, ok := b.obj[k]
			if !ok || !valueEqual(av, bv) {
				return false
			}
		}
	}
	return true
}

// dump renders a Value with its content and secrecy, for failure messages
// only (never for anything a user sees).
func dump(v Value) string {
	var b strings.Builder
	dumpTo(&b, v)
	return b.String()
}

func dumpTo(b *strings.Builder, v Value) {
	if v.secret {
		b.WriteString("secret(")
		defer b.WriteString(")")
	}
	switch v.kind {
	case Null:
		b.WriteString("null")
	case Bool:
		fmt.Fprint(b, v.b)
	case Number:
		fmt.Fprint(b, v.n)
	case String:
		fmt.Fprintf(b, "%q", v.s)
	case Unknown:
		b.WriteString("unknown")
	case ResourceRef:
		fmt.Fprintf(b, "ref(%q,%q)", v.s, v.id)
	case Asset:
		b.WriteString("asset")
	case Array:
		b.WriteString("[")
		for i, it := range v.arr {
			if i > 0 {
				b.WriteString(",")
			}
			dumpTo(b, it)
		}
		b.WriteString("]")
	case Object:
		keys := make([]string, 0, len(v.obj))
		for k := range v.obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(b, "%q:", k)
			dumpTo(b, v.obj[k])
		}
		b.WriteString("}")
	default:
		fmt.Fprintf(b, "kind%d", v.kind)
	}
}

// pathEqual compares two paths segment by segment.
func pathEqual(a, b Path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// K and I build path segments in tables.
func K(k string) Segment { return Segment{Key: k} }
func I(i int) Segment    { return Segment{Index: i, IsIndex: true} }
