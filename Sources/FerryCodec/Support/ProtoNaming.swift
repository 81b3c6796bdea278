/// Name conversions protobuf defines, shared by the compiler (FerrySchema) and the runtime's
/// JSON format so that both derive the same names.
package enum ProtoNaming {
    /// A field's default JSON name, as protoc derives it: each underscore removed and the letter
    /// after it upper-cased (`foo_bar_baz` → `fooBarBaz`).
    package static func jsonName(_ name: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        var upperNext = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "_") {
                upperNext = true
            } else if upperNext {
                result.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte)
                upperNext = false
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
