package props

import (
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/structpb"
)

func TestDecodeValueWireForms(t *testing.T) {
	type m = map[string]*structpb.Value
	tests := []struct {
		name string
		in   *structpb.Value
		want Value
	}{
		// Plain scalars.
		{"nil value", nil, NewNull()},
		{"value without kind", &structpb.Value{}, NewNull()},
		{"null", wNull(), NewNull()},
		{"true", wBool(true), NewBool(true)},
		{"false", wBool(false), NewBool(false)},
		{"number", wNum(1.5), NewNumber(1.5)},
		{"negative number", wNum(-42), NewNumber(-42)},
		{"string", wStr("hello"), NewString("hello")},
		{"empty string", wStr(""), NewString("")},
		{"unicode string", wStr("héllo ✓"), NewString("héllo ✓")},
		{"almost a sentinel", wStr(wUnknownStr + " "), NewString(wUnknownStr + " ")},
		{"uppercase sentinel is a string", wStr(strings.ToUpper(wUnknownStr)), NewString(strings.ToUpper(wUnknownStr))},
		{"signature text alone is a string", wStr(wSecret), NewString(wSecret)},

		// Lists and objects.
		{"empty list", wList(), NewArray()},
		{"list", wList(wNum(1), wStr("a"), wNull(), wBool(true)), NewArray(NewNumber(1), NewString("a"), NewNull(), NewBool(true))},
		{"nested list", wList(wList(wList(wStr("deep")))), NewArray(NewArray(NewArray(NewString("deep"))))},
		{"empty object", wObj(nil), NewObject(nil)},
		{"nil struct value", structpb.NewStructValue(nil), NewObject(nil)},
		{"nested object", wObj(m{"a": wObj(m{"b": wList(wBool(true))})}),
			NewObject(map[string]Value{"a": NewObject(map[string]Value{"b": NewArray(NewBool(true))})})},
		{"list with unknown", wList(wStr("x"), wStr(wUnknownStr)), NewArray(NewString("x"), NewUnknown())},

		// Secret wrapper.
		{"secret string", wSecretOf(wStr("pw")), Secret(NewString("pw"))},
		{"secret number", wSecretOf(wNum(7)), Secret(NewNumber(7))},
		{"secret object", wSecretOf(wObj(m{"u": wStr("admin")})), Secret(NewObject(map[string]Value{"u": NewString("admin")}))},
		{"secret list", wSecretOf(wList(wStr("a"))), Secret(NewArray(NewString("a")))},
		{"secret unknown", wSecretOf(wStr(wUnknownStr)), Secret(NewUnknown())},
		{"secret without value", wSig(wSecret, nil), Secret(NewNull())},
		{"secret of secret", wSecretOf(wSecretOf(wStr("x"))), Secret(NewString("x"))},
		{"secret inside list", wList(wStr("a"), wSecretOf(wStr("b"))), NewArray(NewString("a"), Secret(NewString("b")))},
		{"secret with extra fields", wSig(wSecret, m{"value": wStr("v"), "junk": wNum(1)}), Secret(NewString("v"))},

		// Output values.
		{"output value known", wSig(wOutputValue, m{"value": wStr("v")}), NewString("v")},
		{"output value known null", wSig(wOutputValue, m{"value": wNull()}), NewNull()},
		{"output value unknown", wSig(wOutputValue, nil), NewUnknown()},
		{"output value unknown with deps", wSig(wOutputValue, m{"dependencies": wList(wStr("urn:a"))}), NewUnknown()},
		{"output value secret", wSig(wOutputValue, m{"value": wStr("v"), "secret": wBool(true)}), Secret(NewString("v"))},
		{"output value secret unknown", wSig(wOutputValue, m{"secret": wBool(true)}), Secret(NewUnknown())},
		{"output value secret false", wSig(wOutputValue, m{"value": wNum(3), "secret": wBool(false)}), NewNumber(3)},
		{"output value secret non-bool", wSig(wOutputValue, m{"value": wNum(3), "secret": wStr("true")}), NewNumber(3)},
		{"output value of object", wSig(wOutputValue, m{"value": wObj(m{"k": wStr(wUnknownStr)})}),
			NewObject(map[string]Value{"k": NewUnknown()})},
		{"output value wrapping secret", wSig(wOutputValue, m{"value": wSecretOf(wStr("s"))}), Secret(NewString("s"))},

		// Resource references.
		{"ref with id", wSig(wResourceRef, m{"urn": wStr("urn:pulumi:s::p::t::n"), "id": wStr("i-1")}),
			NewResourceRef("urn:pulumi:s::p::t::n", "i-1")},
		{"ref without id", wSig(wResourceRef, m{"urn": wStr("urn:c")}), NewResourceRef("urn:c", "")},
		{"ref unknown id", wSig(wResourceRef, m{"urn": wStr("urn:u"), "id": wStr(wUnknownStr)}), NewResourceRef("urn:u", "")},
		{"ref with packageVersion", wSig(wResourceRef, m{"urn": wStr("urn:v"), "id": wStr("x"), "packageVersion": wStr("1.2.3")}),
			NewResourceRef("urn:v", "x")},
		{"ref missing urn", wSig(wResourceRef, nil), NewResourceRef("", "")},
		{"secret ref", wSecretOf(wSig(wResourceRef, m{"urn": wStr("urn:s")})), Secret(NewResourceRef("urn:s", ""))},

		// Byte strings.
		{"byte string", wSig(wByteString, m{"value": wStr(base64.StdEncoding.EncodeToString([]byte("hello")))}), NewString("hello")},
		{"byte string empty", wSig(wByteString, m{"value": wStr("")}), NewString("")},
		{"byte string invalid base64", wSig(wByteString, m{"value": wStr("not base64!!")}), NewString("not base64!!")},
		{"byte string bad padding", wSig(wByteString, m{"value": wStr("aGVsbG8")}), NewString("aGVsbG8")},

		// Assets and archives.
		{"asset", wSig(wAsset, m{"path": wStr("./x.txt"), "hash": wStr("abc")}), Value{kind: Asset}},
		{"archive", wSig(wArchive, m{"assets": wObj(nil)}), Value{kind: Asset}},
		{"secret asset", wSecretOf(wSig(wAsset, nil)), Secret(Value{kind: Asset})},

		// Not special after all.
		{"unrecognised signature", wSig("deadbeef", m{"x": wNum(1)}),
			NewObject(map[string]Value{wSigKey: NewString("deadbeef"), "x": NewNumber(1)})},
		{"signature key not a string", wObj(m{wSigKey: wNum(5), "value": wStr("v")}),
			NewObject(map[string]Value{wSigKey: NewNumber(5), "value": NewString("v")})},
		{"signature key holds unknown sentinel", wObj(m{wSigKey: wStr(wUnknownStr)}),
			NewObject(map[string]Value{wSigKey: NewUnknown()})},
		{"secret signature under another key", wObj(m{"sig": wStr(wSecret), "value": wStr("v")}),
			NewObject(map[string]Value{"sig": NewString(wSecret), "value": NewString("v")})},
	}
	for _, s := range allUnknownSentinels {
		tests = append(tests, struct {
			name string
			in   *structpb.Value
			want Value
		}{"sentinel " + s, wStr(s), NewUnknown()})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecodeValue(tt.in)
			if !valueEqual(got, tt.want) {
				t.Errorf("DecodeValue = %s, want %s", dump(got), dump(tt.want))
			}
			// The same value as a field of a top-level struct.
			top := Decode(&structpb.Struct{Fields: map[string]*structpb.Value{"f": tt.in}})
			if f := top.Field("f"); !valueEqual(f, tt.want) {
				t.Errorf("Decode(struct).Field = %s, want %s", dump(f), dump(tt.want))
			}
		})
	}
}

func TestDecodeNilAndEmptyStruct(t *testing.T) {
	for name, s := range map[string]*structpb.Struct{
		"nil":       nil,
		"empty":     {},
		"nil field": {Fields: nil},
	} {
		v := Decode(s)
		if v.Kind() != Object || v.Len() != 0 || v.IsSecret() {
			t.Errorf("Decode(%s) = %s, want an empty object", name, dump(v))
		}
		if m, ok := v.Object(); !ok || m == nil {
			t.Errorf("Decode(%s).Object() = %v, %v; want a non-nil map", name, m, ok)
		}
		// An empty object must be usable without panics.
		if got := v.Get(MustPath("a.b[0]")); !got.IsNull() {
			t.Errorf("Get on empty = %s", dump(got))
		}
	}
}

func TestDecodeTopLevelStruct(t *testing.T) {
	s := &structpb.Struct{Fields: map[string]*structpb.Value{
		"bucket":   wStr("my-bucket"),
		"password": wSecretOf(wStr("hunter2")),
		"arn":      wStr(wUnknownStr),
		"tags":     wObj(map[string]*structpb.Value{"selfhosted-hardening:exempt": wStr("yes")}),
		"role":     wSig(wResourceRef, map[string]*structpb.Value{"urn": wStr("urn:r"), "id": wStr("r-1")}),
	}}
	v := Decode(s)
	if v.Kind() != Object || v.Len() != 5 {
		t.Fatalf("Decode = %s", dump(v))
	}
	if got, _ := v.Get(MustPath("bucket")).Str(); got != "my-bucket" {
		t.Errorf("bucket = %q", got)
	}
	if pw := v.Get(MustPath("password")); !pw.IsSecret() || pw.Describe() != "[secret]" {
		t.Errorf("password = %s / %q", dump(pw), pw.Describe())
	}
	if !v.Get(MustPath("arn")).IsUnknown() || !v.ContainsUnknown() {
		t.Errorf("arn not unknown")
	}
	if got, _ := v.Get(MustPath(`tags["selfhosted-hardening:exempt"]`)).Str(); got != "yes" {
		t.Errorf("exempt tag = %q", got)
	}
	if urn, id, ok := v.Get(MustPath("role")).Ref(); !ok || urn != "urn:r" || id != "r-1" {
		t.Errorf("role ref = %q %q %v", urn, id, ok)
	}
}

// deepList nests n lists around leaf.
func deepList(n int, leaf *structpb.Value) *structpb.Value {
	v := leaf
	for i := 0; i < n; i++ {
		v = wList(v)
	}
	return v
}

func deepObject(n int, leaf *structpb.Value) *structpb.Value {
	v := leaf
	for i := 0; i < n; i++ {
		v = wObj(map[string]*structpb.Value{"a": v})
	}
	return v
}

func deepSecret(n int, leaf *structpb.Value) *structpb.Value {
	v := leaf
	for i := 0; i < n; i++ {
		v = wSecretOf(v)
	}
	return v
}

func deepOutput(n int, leaf *structpb.Value) *structpb.Value {
	v := leaf
	for i := 0; i < n; i++ {
		v = wSig(wOutputValue, map[string]*structpb.Value{"value": v})
	}
	return v
}

func deepMixed(n int, leaf *structpb.Value) *structpb.Value {
	v := leaf
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			v = wList(v)
		case 1:
			v = wObj(map[string]*structpb.Value{"k": v})
		case 2:
			v = wSecretOf(v)
		case 3:
			v = wSig(wOutputValue, map[string]*structpb.Value{"value": v, "secret": wBool(true)})
		}
	}
	return v
}

func TestDecodeDeeplyNestedDoesNotOverflow(t *testing.T) {
	builders := map[string]func(int, *structpb.Value) *structpb.Value{
		"lists":   deepList,
		"objects": deepObject,
		"secrets": deepSecret,
		"outputs": deepOutput,
		"mixed":   deepMixed,
	}
	for name, build := range builders {
		for _, n := range []int{2000, 20000} {
			t.Run(fmt.Sprintf("%s/%d", name, n), func(t *testing.T) {
				in := build(n, wStr("leaf"))
				v := Decode(&structpb.Struct{Fields: map[string]*structpb.Value{"deep": in}})
				d := v.Field("deep")
				if d.Kind() == Null {
					t.Fatalf("%d-deep %s decoded to null", n, name)
				}
				// What is past the depth bound must not pass for known data.
				if !v.ContainsUnknown() {
					t.Errorf("%d-deep %s: the cut-off part is not reported unknown", n, name)
				}
				// Everything else must cope with what Decode returned.
				_ = v.Describe()
				_ = v.Keys()
				_ = ToGo(v)
				re := DecodeValue(Encode(d))
				if re.Kind() != d.Kind() {
					t.Errorf("re-decode kind %v, want %v", re.Kind(), d.Kind())
				}
				walk(v, func(Path, Value) bool { return true })
			})
		}
	}
}

func TestDecodeModeratelyNestedIsComplete(t *testing.T) {
	// Depth well within what the engine sends must decode fully.
	const n = 100
	v := Decode(&structpb.Struct{Fields: map[string]*structpb.Value{"deep": deepList(n, wStr("leaf"))}})
	if v.ContainsUnknown() {
		t.Fatalf("%d-deep list decoded with an unknown", n)
	}
	p := MustPath("deep")
	for i := 0; i < n; i++ {
		p = p.At(0)
	}
	if s, ok := v.Get(p).Str(); !ok || s != "leaf" {
		t.Errorf("leaf = %q, %v", s, ok)
	}
	o := Decode(&structpb.Struct{Fields: map[string]*structpb.Value{"deep": deepSecret(n, wStr("s"))}})
	if got := o.Field("deep"); !got.IsSecret() || got.Kind() != String {
		t.Errorf("%d nested secrets = %s", n, dump(got))
	}
}

// walk visits v and everything inside it with the path to it; the values it
// passes carry secrecy from their containers, as Field and Index give it.
func walk(v Value, visit func(Path, Value) bool) {
	type item struct {
		p Path
		v Value
	}
	stack := []item{{nil, v}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(it.p, it.v) {
			return
		}
		switch it.v.Kind() {
		case Array:
			for i := 0; i < it.v.Len(); i++ {
				stack = append(stack, item{it.p.At(i), it.v.Index(i)})
			}
		case Object:
			for _, k := range it.v.Keys() {
				stack = append(stack, item{it.p.Key(k), it.v.Field(k)})
			}
		}
	}
}

func roundTripCases() map[string]Value {
	asset := DecodeValue(wSig(wAsset, nil))
	return map[string]Value{
		"null":             NewNull(),
		"true":             NewBool(true),
		"false":            NewBool(false),
		"zero":             NewNumber(0),
		"number":           NewNumber(-12.75),
		"huge":             NewNumber(math.MaxFloat64),
		"string":           NewString("hello"),
		"empty string":     NewString(""),
		"unicode":          NewString("日本語 ✓"),
		"unknown":          NewUnknown(),
		"secret string":    Secret(NewString("pw")),
		"secret null":      Secret(NewNull()),
		"secret unknown":   Secret(NewUnknown()),
		"secret bool":      Secret(NewBool(false)),
		"empty array":      NewArray(),
		"empty object":     NewObject(nil),
		"ref":              NewResourceRef("urn:pulumi:a::b::c::d", "id-9"),
		"ref no id":        NewResourceRef("urn:x", ""),
		"secret ref":       Secret(NewResourceRef("urn:y", "i")),
		"asset":            asset,
		"secret asset":     Secret(asset),
		"array of unknown": NewArray(NewUnknown(), NewString("k")),
		"object secret leaf": NewObject(map[string]Value{
			"a": NewString("A"),
			"s": Secret(NewString("S")),
		}),
		"secret middle": NewArray(
			NewNumber(1),
			Secret(NewObject(map[string]Value{"k": Secret(NewString("v")), "u": NewUnknown()})),
		),
		"secret outer": Secret(NewObject(map[string]Value{
			"arr": NewArray(Secret(NewArray(NewString("x"))), NewNull()),
		})),
		"nested mix": NewObject(map[string]Value{
			"list": NewArray(
				NewObject(map[string]Value{"ref": NewResourceRef("urn:r", "")}),
				NewArray(NewArray(Secret(NewUnknown()))),
			),
			"tags": NewObject(map[string]Value{"x:y": NewString("z"), "a.b": NewBool(true)}),
		}),
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for name, v := range roundTripCases() {
		t.Run(name, func(t *testing.T) {
			got := DecodeValue(Encode(v))
			if !valueEqual(got, v) {
				t.Errorf("DecodeValue(Encode(%s)) = %s", dump(v), dump(got))
			}
			// And as a property of a resource.
			obj := NewObject(map[string]Value{"p": v})
			back := Decode(EncodeObject(obj))
			if !valueEqual(back, obj) {
				t.Errorf("Decode(EncodeObject(%s)) = %s", dump(obj), dump(back))
			}
		})
	}
}

func TestEncodeWireShapes(t *testing.T) {
	// A secret is the secret signature object holding the plain encoding.
	enc := Encode(Secret(NewString("hunter2")))
	f := enc.GetStructValue().GetFields()
	if f[wSigKey].GetStringValue() != wSecret {
		t.Fatalf("Encode(secret) = %v, want the secret signature", enc)
	}
	if f["value"].GetStringValue() != "hunter2" || len(f) != 2 {
		t.Errorf("Encode(secret) fields = %v", f)
	}

	// A secret object: the wrapper's value is the plain object.
	enc = Encode(Secret(NewObject(map[string]Value{"a": NewNumber(1)})))
	f = enc.GetStructValue().GetFields()
	if f[wSigKey].GetStringValue() != wSecret || f["value"].GetStructValue().GetFields()["a"].GetNumberValue() != 1 {
		t.Errorf("Encode(secret object) = %v", enc)
	}

	// A secret inside a plain object is wrapped where it is, not above.
	enc = Encode(NewObject(map[string]Value{"pw": Secret(NewString("x")), "n": NewString("y")}))
	f = enc.GetStructValue().GetFields()
	if _, special := f[wSigKey]; special {
		t.Errorf("plain object got a signature: %v", enc)
	}
	if f["pw"].GetStructValue().GetFields()[wSigKey].GetStringValue() != wSecret {
		t.Errorf("secret leaf not wrapped: %v", f["pw"])
	}
	if f["n"].GetStringValue() != "y" {
		t.Errorf("plain leaf = %v", f["n"])
	}

	// Unknown is the string sentinel.
	if got := Encode(NewUnknown()).GetStringValue(); got != wUnknownStr {
		t.Errorf("Encode(unknown) = %q", got)
	}
	// A resource reference.
	f = Encode(NewResourceRef("urn:a", "id-1")).GetStructValue().GetFields()
	if f[wSigKey].GetStringValue() != wResourceRef || f["urn"].GetStringValue() != "urn:a" || f["id"].GetStringValue() != "id-1" {
		t.Errorf("Encode(ref) = %v", f)
	}
	f = Encode(NewResourceRef("urn:b", "")).GetStructValue().GetFields()
	if _, has := f["id"]; has {
		t.Errorf("Encode(ref without id) has an id: %v", f)
	}
	// Null.
	if _, ok := Encode(NewNull()).GetKind().(*structpb.Value_NullValue); !ok {
		t.Errorf("Encode(null) = %v", Encode(NewNull()))
	}
	// Asset.
	f = Encode(DecodeValue(wSig(wArchive, nil))).GetStructValue().GetFields()
	if f[wSigKey].GetStringValue() != wAsset {
		t.Errorf("Encode(asset) = %v", f)
	}
	// Invalid UTF-8 is made valid, as protobuf strings must be.
	if s := Encode(NewString("a\xffb")).GetStringValue(); !utf8.ValidString(s) {
		t.Errorf("Encode kept invalid UTF-8: %q", s)
	}
	// EncodeObject of a non-object is an empty struct.
	for _, v := range []Value{NewNull(), NewString("s"), NewArray(NewNumber(1)), NewUnknown()} {
		if s := EncodeObject(v); s == nil || len(s.GetFields()) != 0 {
			t.Errorf("EncodeObject(%s) = %v", dump(v), s)
		}
	}
}
