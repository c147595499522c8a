package props

import (
	"errors"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
)

// wireProgram turns fuzz bytes into a google.protobuf.Struct deterministically:
// each value starts with an opcode byte that picks a wire form (scalar,
// list, object, each signature object, an unknown sentinel, a deep nest);
// the bytes after it give its parameters. Running out of bytes gives nulls,
// and a node budget keeps every input small.
type wireProgram struct {
	data  []byte
	pos   int
	nodes int
}

const (
	fuzzNodeBudget = 3000
	fuzzMaxDepth   = 40 // for the recursive builder; deep nests are built iteratively
)

var fuzzKeys = []string{
	"a", "b", "c", "value", "secret", "urn", "id", "dependencies",
	wSigKey, "x:y", "a.b", "tags", "", "k]",
}

var fuzzNumbers = []float64{0, 1, -1, 0.5, 443, 1e300, math.Inf(1), math.Inf(-1), math.NaN(), math.Copysign(0, -1)}

func (w *wireProgram) next() byte {
	if w.pos >= len(w.data) {
		return 0
	}
	c := w.data[w.pos]
	w.pos++
	return c
}

func (w *wireProgram) done() bool { return w.pos >= len(w.data) || w.nodes >= fuzzNodeBudget }

// str reads a length byte and that many raw bytes (possibly invalid UTF-8).
func (w *wireProgram) str() string {
	n := int(w.next() % 24)
	var b strings.Builder
	for i := 0; i < n && w.pos < len(w.data); i++ {
		b.WriteByte(w.next())
	}
	return b.String()
}

func (w *wireProgram) key() string {
	c := w.next()
	if int(c) < len(fuzzKeys)*16 {
		return fuzzKeys[int(c)%len(fuzzKeys)]
	}
	return w.str()
}

func (w *wireProgram) sentinel() string {
	c := int(w.next())
	if c%8 == 7 {
		return "04da6b54-80e4-46f7-96ec-b56ff0331ba" // one character short
	}
	return allUnknownSentinels[c%len(allUnknownSentinels)]
}

func (w *wireProgram) signature() string {
	sigs := []string{wSecret, wResourceRef, wOutputValue, wByteString, wAsset, wArchive, "deadbeef", wUnknownStr}
	return sigs[int(w.next())%len(sigs)]
}

func (w *wireProgram) fields(depth int) map[string]*structpb.Value {
	n := int(w.next() % 5)
	m := make(map[string]*structpb.Value, n)
	for i := 0; i < n && !w.done(); i++ {
		m[w.key()] = w.value(depth + 1)
	}
	return m
}

func (w *wireProgram) value(depth int) *structpb.Value {
	if w.done() {
		return wNull()
	}
	w.nodes++
	if depth > fuzzMaxDepth {
		return wStr(w.str())
	}
	switch op := w.next() % 16; op {
	case 0:
		return wNull()
	case 1:
		return wBool(w.next()&1 == 1)
	case 2:
		return wNum(fuzzNumbers[int(w.next())%len(fuzzNumbers)])
	case 3:
		return wStr(w.str())
	case 4:
		return wStr(w.sentinel())
	case 5:
		n := int(w.next() % 5)
		items := make([]*structpb.Value, 0, n)
		for i := 0; i < n && !w.done(); i++ {
			items = append(items, w.value(depth+1))
		}
		return wList(items...)
	case 6:
		return wObj(w.fields(depth))
	case 7:
		flags := w.next()
		f := map[string]*structpb.Value{}
		if flags&1 == 0 {
			f["value"] = w.value(depth + 1)
		}
		return wSig(wSecret, f)
	case 8:
		flags := w.next()
		f := map[string]*structpb.Value{}
		if flags&1 == 1 {
			f["value"] = w.value(depth + 1)
		}
		if flags&2 == 2 {
			f["secret"] = wBool(flags&4 == 4)
		}
		if flags&8 == 8 {
			f["secret"] = wStr("true")
		}
		if flags&16 == 16 {
			f["dependencies"] = wList(wStr("urn:dep"))
		}
		return wSig(wOutputValue, f)
	case 9:
		flags := w.next()
		f := map[string]*structpb.Value{"urn": wStr("urn:pulumi:s::p::t::" + w.str())}
		switch flags % 4 {
		case 1:
			f["id"] = wStr(w.str())
		case 2:
			f["id"] = wStr(w.sentinel())
		case 3:
			f["id"] = wNum(7)
		}
		return wSig(wResourceRef, f)
	case 10:
		raw := w.str()
		if w.next()&1 == 0 {
			raw = b64(raw)
		}
		return wSig(wByteString, map[string]*structpb.Value{"value": wStr(raw)})
	case 11:
		if w.next()&1 == 0 {
			return wSig(wAsset, map[string]*structpb.Value{"path": wStr("x")})
		}
		return wSig(wArchive, nil)
	case 12:
		// A signature object with extra fields chosen by the program.
		return wSig(w.signature(), w.fields(depth))
	case 13:
		// The signature key holds something other than a string.
		f := w.fields(depth)
		f[wSigKey] = w.value(depth + 1)
		return wObj(f)
	case 14:
		// A deep nest, built without recursion.
		n := 1 + int(w.next())*4
		kind := w.next()
		inner := w.value(depth + 1)
		for i := 0; i < n; i++ {
			switch (int(kind) + i) % 4 {
			case 0:
				inner = wList(inner)
			case 1:
				inner = wObj(map[string]*structpb.Value{"a": inner})
			case 2:
				inner = wSecretOf(inner)
			case 3:
				inner = wSig(wOutputValue, map[string]*structpb.Value{"value": inner, "secret": wBool(i%2 == 0)})
			}
		}
		w.nodes += n
		return inner
	default:
		if w.next()&1 == 0 {
			return &structpb.Value{} // no kind at all
		}
		return nil
	}
}

func b64(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var b strings.Builder
	in := []byte(s)
	for len(in) >= 3 {
		n := uint(in[0])<<16 | uint(in[1])<<8 | uint(in[2])
		b.WriteByte(alphabet[n>>18&63])
		b.WriteByte(alphabet[n>>12&63])
		b.WriteByte(alphabet[n>>6&63])
		b.WriteByte(alphabet[n&63])
		in = in[3:]
	}
	switch len(in) {
	case 1:
		n := uint(in[0]) << 16
		b.WriteByte(alphabet[n>>18&63])
		b.WriteByte(alphabet[n>>12&63])
		b.WriteString("==")
	case 2:
		n := uint(in[0])<<16 | uint(in[1])<<8
		b.WriteByte(alphabet[n>>18&63])
		b.WriteByte(alphabet[n>>12&63])
		b.WriteByte(alphabet[n>>6&63])
		b.WriteByte('=')
	}
	return b.String()
}

func buildFuzzStruct(data []byte) *structpb.Struct {
	if len(data) > 0 && data[0] == 0xff {
		return nil
	}
	w := &wireProgram{data: data}
	return &structpb.Struct{Fields: w.fields(0)}
}

// wireNormal is what Encode then Decode may legitimately change: Encode
// makes strings valid UTF-8, and a string equal to an unknown sentinel (only
// reachable through a byte string) comes back unknown.
func wireNormal(v Value) Value {
	switch v.kind {
	case String:
		v.s = strings.ToValidUTF8(v.s, "\uFFFD")
		for _, s := range allUnknownSentinels {
			if v.s == s {
				return Value{kind: Unknown, secret: v.secret}
			}
		}
	case Array:
		arr := make([]Value, len(v.arr))
		for i, it := range v.arr {
			arr[i] = wireNormal(it)
		}
		v.arr = arr
	case Object:
		m := make(map[string]Value, len(v.obj))
		for k, it := range v.obj {
			m[strings.ToValidUTF8(k, "\uFFFD")] = wireNormal(it)
		}
		v.obj = m
	case ResourceRef:
		v.s = strings.ToValidUTF8(v.s, "\uFFFD")
		v.id = strings.ToValidUTF8(v.id, "\uFFFD")
	}
	return v
}

// keysCollideInUTF8 reports whether two keys of an object inside v differ
// only in invalid UTF-8, which Encode replaces: they become one key, and
// which value survives is not defined. The engine never sends such keys.
func keysCollideInUTF8(v Value) bool {
	switch v.kind {
	case Array:
		for _, it := range v.arr {
			if keysCollideInUTF8(it) {
				return true
			}
		}
	case Object:
		seen := map[string]bool{}
		for k, it := range v.obj {
			clean := strings.ToValidUTF8(k, "\uFFFD")
			if seen[clean] || keysCollideInUTF8(it) {
				return true
			}
			seen[clean] = true
		}
	}
	return false
}

// hasSigKeyObject reports whether a plain object inside v has the signature
// key: such an object can read as a special value once re-encoded (e.g. its
// key held a byte string spelling a signature), which is inherent to the
// wire format and not something Encode can avoid.
func hasSigKeyObject(v Value) bool {
	found := false
	walk(v, func(_ Path, x Value) bool {
		if x.kind == Object {
			if _, ok := x.obj[wSigKey]; ok {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

func checkLookup(t *testing.T, v Value, p Path) {
	t.Helper()
	r, err := v.Lookup(p)
	if err != nil {
		var te *TypeError
		if !errors.As(err, &te) {
			t.Fatalf("Lookup(%q) error %T %v, want *TypeError", p.String(), err, err)
		}
		if len(te.Path) >= len(p) || !pathEqual(te.Path, p[:len(te.Path)]) {
			t.Fatalf("TypeError.Path %q is not a proper prefix of %q", te.Path.String(), p.String())
		}
		if te.Got == te.Want || te.Got == Null || te.Got == Unknown {
			t.Fatalf("TypeError %v for a %v", err, te.Got)
		}
		if !r.IsNull() {
			t.Fatalf("Lookup(%q) with an error gave %s", p.String(), dump(r))
		}
	}
	if r.IsSecret() && r.Describe() != "[secret]" {
		t.Fatalf("Describe() of a secret Lookup result = %q", r.Describe())
	}
	if g := v.Get(p); !valueEqual(g, r) {
		t.Fatalf("Get(%q) = %s, Lookup = %s", p.String(), dump(g), dump(r))
	}
}

func FuzzDecodeLookup(f *testing.F) {
	f.Add([]byte{}, "a")
	f.Add([]byte{0xff}, "a.b")
	// {a: "x"}
	f.Add([]byte{1, 0, 3, 1, 'x'}, "a")
	// {a: secret({b: [unknown]})}
	f.Add([]byte{1, 0, 7, 0, 6, 1, 1, 5, 1, 4, 0}, "a.b[0]")
	// {a: output(secret, value: "v")}, {b: ref}
	f.Add([]byte{2, 0, 8, 7, 3, 1, 'v', 1, 9, 1, 1, 'n', 2, 'i', 'd'}, "a")
	// a byte string, an asset, an unknown signature
	f.Add([]byte{3, 0, 10, 4, 'h', 'i', '!', '!', 0, 1, 11, 0, 2, 12, 6, 2, 3, 1, 'q'}, `["a"]`)
	// a deep nest of mixed wrappers
	f.Add([]byte{1, 0, 14, 200, 1, 3, 2, 's', 'k'}, "a[0].a")
	f.Add([]byte{1, 0, 14, 255, 0, 4, 3}, "a[0][0][0][0]")
	f.Add([]byte{1, 8, 13, 1, 0, 3, 2, 'o', 'k', 1, 1}, `["4dabf18193072939515e22adb298388d"]`)
	f.Add([]byte{2, 0, 6, 2, 1, 3, 1, 'x', 2, 5, 2, 3, 1, 'y', 7, 0, 3, 2, 'p', 'w'}, "a.b[1]")
	f.Add([]byte{1, 0, 5, 3, 3, 1, 'a', 3, 1, 'b', 15, 0}, "a[2].x")

	f.Fuzz(func(t *testing.T, data []byte, path string) {
		s := buildFuzzStruct(data)
		v := Decode(s)
		if v.Kind() != Object {
			t.Fatalf("Decode gave a %v", v.Kind())
		}

		// Every value, as Field/Index/Lookup hand it out: a secret one
		// describes as [secret]; Lookup along its own path finds it.
		visited := 0
		walk(v, func(p Path, x Value) bool {
			d := x.Describe()
			if x.IsSecret() && d != "[secret]" {
				t.Fatalf("Describe() of secret %s = %q", dump(x), d)
			}
			_ = x.Keys()
			_ = x.Len()
			if visited < 300 {
				got, err := v.Lookup(p)
				if err != nil || !valueEqual(got, x) {
					t.Fatalf("Lookup(%q) = %s, %v; walking gave %s", p.String(), dump(got), err, dump(x))
				}
			}
			visited++
			return true
		})

		if p, err := ParsePath(path); err == nil {
			checkLookup(t, v, p)
		}

		_ = v.ContainsUnknown()
		_ = ToGo(v)
		enc := Encode(v)
		if enc.GetStructValue() == nil {
			t.Fatalf("Encode(object) is not a struct: %v", enc)
		}
		if !hasSigKeyObject(v) && !keysCollideInUTF8(v) {
			back := Decode(EncodeObject(v))
			if want := wireNormal(v); !valueEqual(back, want) {
				t.Fatalf("Decode(EncodeObject(v)) = %s\nwant %s", dump(back), dump(want))
			}
		}
	})
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"a", "a.b.c", "subnetIds[1]", `tags["selfhosted-hardening:exempt"]`, `a["x.y"][0].b`,
		"[0]", "[0][1].a", "a..b", "a.", ".a", "a[", "a[-1]", "a[x]", "a[0]b", `a["q\"x"]`,
		`a["\u00e9"]`, `a[""]`, "a[007]", "a[+1]", "ключ", "a\x00b", "a\xffb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			if p != nil {
				t.Fatalf("ParsePath(%q) gave a path with its error", s)
			}
			return
		}
		if len(p) == 0 {
			t.Fatalf("ParsePath(%q) succeeded with an empty path", s)
		}
		for _, seg := range p {
			if seg.IsIndex && seg.Index < 0 {
				t.Fatalf("ParsePath(%q) gave a negative index", s)
			}
			if seg.IsIndex && seg.Key != "" {
				t.Fatalf("ParsePath(%q) gave an index segment with a key", s)
			}
		}
		str := p.String()
		q, err := ParsePath(str)
		if err != nil {
			t.Fatalf("ParsePath(%q) = %#v, but ParsePath(String()=%q) fails: %v", s, p, str, err)
		}
		if !pathEqual(p, q) {
			t.Fatalf("ParsePath(%q) = %#v, round trip via %q = %#v", s, p, str, q)
		}
		if q.String() != str {
			t.Fatalf("String() not stable: %q then %q", str, q.String())
		}
		// Lookup on any value follows the path without panicking.
		v := NewObject(map[string]Value{p.Root(): NewArray(NewString("x"))})
		_, _ = v.Lookup(p)
	})
}
