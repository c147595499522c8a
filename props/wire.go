package props

import (
	"encoding/base64"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// The engine's wire encoding of special values inside a google.protobuf.Struct
// (sdk/v3 go/common/resource/sig). An object whose sigKey field holds one of
// the signatures is a special value; an unknown is a string sentinel.
const (
	sigKey          = "4dabf18193072939515e22adb298388d"
	sigSecret       = "1b47061264138c4ac30d75fd1eb44270"
	sigResourceRef  = "5cf8f73096256a8f31e491e813e4eb8e"
	sigOutputValue  = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
	sigByteString   = "803fd3297a5875dc03ca845dda5d2a98"
	sigAsset        = "c44067f5952c0a294b673a41bacd8c17"
	sigArchive      = "0def7320c3a5731c473e5ecbe6d01bc7"
	unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
)

// The engine has used one unknown sentinel per type; all of them decode to
// Unknown.
var unknownSentinels = map[string]bool{
	"1c4a061d-8072-4f0a-a4cb-0ff528b18fe7": true, // bool
	"3eeb2bf0-c639-47a8-9e75-3b44932eb421": true, // number
	unknownSentinel:                        true, // string (the one in use)
	"6a19a0b0-7e62-4c92-b797-7f8e31da9cc2": true, // array
	"030794c1-ac77-496b-92df-f27374a8bd58": true, // asset
	"e48ece36-62e2-4504-bad9-02848725956a": true, // archive
	"dd056dcd-154b-4c76-9bd3-c8f88648b5ff": true, // object
}

// maxDepth bounds recursion on hostile input; the engine never nests this deep.
const maxDepth = 512

// Decode turns the properties of an analyzer request into an Object value.
// It never fails: a nil struct is an empty object, and an object with an
// unrecognised signature stays a plain object.
func Decode(s *structpb.Struct) Value {
	return decodeStruct(s, 0)
}

// DecodeValue decodes one wire value.
func DecodeValue(v *structpb.Value) Value {
	return decodeValue(v, 0)
}

func decodeStruct(s *structpb.Struct, depth int) Value {
	fields := s.GetFields()
	m := make(map[string]Value, len(fields))
	for k, f := range fields {
		m[k] = decodeValue(f, depth+1)
	}
	return Value{kind: Object, obj: m}
}

func decodeValue(v *structpb.Value, depth int) Value {
	if depth > maxDepth {
		return Value{kind: Unknown}
	}
	switch k := v.GetKind().(type) {
	case *structpb.Value_BoolValue:
		return NewBool(k.BoolValue)
	case *structpb.Value_NumberValue:
		return NewNumber(k.NumberValue)
	case *structpb.Value_StringValue:
		if unknownSentinels[k.StringValue] {
			return NewUnknown()
		}
		return NewString(k.StringValue)
	case *structpb.Value_ListValue:
		items := k.ListValue.GetValues()
		arr := make([]Value, len(items))
		for i, it := range items {
			arr[i] = decodeValue(it, depth+1)
		}
		return Value{kind: Array, arr: arr}
	case *structpb.Value_StructValue:
		return decodeSpecial(k.StructValue, depth)
	}
	return Value{} // null, or no kind at all
}

func decodeSpecial(s *structpb.Struct, depth int) Value {
	fields := s.GetFields()
	sig, ok := fields[sigKey].GetKind().(*structpb.Value_StringValue)
	if !ok {
		return decodeStruct(s, depth)
	}
	switch sig.StringValue {
	case sigSecret:
		inner := decodeValue(fields["value"], depth+1)
		inner.secret = true
		return inner
	case sigOutputValue:
		inner := Value{kind: Unknown}
		if val, has := fields["value"]; has {
			inner = decodeValue(val, depth+1)
		}
		if b, ok := fields["secret"].GetKind().(*structpb.Value_BoolValue); ok && b.BoolValue {
			inner.secret = true
		}
		return inner
	case sigResourceRef:
		urn := fields["urn"].GetStringValue()
		id := fields["id"].GetStringValue()
		if unknownSentinels[id] {
			id = ""
		}
		return NewResourceRef(urn, id)
	case sigByteString:
		raw := fields["value"].GetStringValue()
		if b, err := base64.StdEncoding.DecodeString(raw); err == nil {
			return NewString(string(b))
		}
		return NewString(raw)
	case sigAsset, sigArchive:
		return Value{kind: Asset}
	}
	return decodeStruct(s, depth)
}

// Encode renders v in the engine's wire encoding, as the engine sends
// properties to an analyzer: secrets wrapped in the secret signature, unknowns
// as the unknown string sentinel.
func Encode(v Value) *structpb.Value {
	var out *structpb.Value
	switch v.kind {
	case Bool:
		out = structpb.NewBoolValue(v.b)
	case Number:
		out = structpb.NewNumberValue(v.n)
	case String:
		out = structpb.NewStringValue(strings.ToValidUTF8(v.s, "\uFFFD"))
	case Unknown:
		out = structpb.NewStringValue(unknownSentinel)
	case Array:
		items := make([]*structpb.Value, len(v.arr))
		for i, it := range v.arr {
			items[i] = Encode(it)
		}
		out = structpb.NewListValue(&structpb.ListValue{Values: items})
	case Object:
		out = structpb.NewStructValue(EncodeObject(v))
	case ResourceRef:
		f := map[string]*structpb.Value{
			sigKey: structpb.NewStringValue(sigResourceRef),
			"urn":  structpb.NewStringValue(strings.ToValidUTF8(v.s, "\uFFFD")),
		}
		if v.id != "" {
			f["id"] = structpb.NewStringValue(strings.ToValidUTF8(v.id, "\uFFFD"))
		}
		out = structpb.NewStructValue(&structpb.Struct{Fields: f})
	case Asset:
		out = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
			sigKey: structpb.NewStringValue(sigAsset),
		}})
	default:
		out = structpb.NewNullValue()
	}
	if v.secret {
		out = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
			sigKey:  structpb.NewStringValue(sigSecret),
			"value": out,
		}})
	}
	return out
}

// EncodeObject renders an Object value as a Struct; other kinds give an
// empty Struct.
func EncodeObject(v Value) *structpb.Struct {
	fields := make(map[string]*structpb.Value, len(v.obj))
	for k, it := range v.obj {
		fields[strings.ToValidUTF8(k, "\uFFFD")] = Encode(it)
	}
	return &structpb.Struct{Fields: fields}
}
