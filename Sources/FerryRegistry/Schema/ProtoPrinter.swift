/// Public: the descriptors `ProtoPrinter` prints (FerryCodec) appear in this file's public API.
public import FerryCodec
import FerrySchema

/// Renders a linked `FileDescriptorProto` as `.proto` text: the registry's canonical schema form.
///
/// Type names are written fully qualified (`.acme.Order`), so the text links to the same descriptor
/// wherever it is compiled; map fields are written as `map<K, V>` and groups inline. The output of
/// protoc for the printed text equals the input descriptor, except for source info and for custom
/// options, which a descriptor keeps only as unknown fields.
public struct ProtoPrinter: Sendable {
    /// Creates a printer.
    public init() {}

    /// The `.proto` text of `file`.
    public func print(_ file: Google_Protobuf_FileDescriptorProto) -> String {
        var out = TextBuffer()
        let syntax = file.syntax ?? ""
        let isProto3 = syntax == "proto3"
        out.line("syntax = \"\(isProto3 ? "proto3" : "proto2")\";")
        if let package = file.package, !package.isEmpty { out.line("package \(package);") }
        for (index, dependency) in file.dependency.enumerated() {
            let modifier =
                file.publicDependency.contains(Int32(index))
                ? "public "
                : file.weakDependency.contains(Int32(index)) ? "weak " : ""
            out.line("import \(modifier)\(Self.quoted(dependency));")
        }
        if let options = file.options { printFileOptions(options, into: &out) }
        // A group extension declares its message where the `extend` block stands: print the extensions
        // up to it there, so that message order survives.
        var pendingExtensions = file.extension[...]
        for message in file.messageType {
            if let position = pendingExtensions.firstIndex(where: {
                $0.type == .group && Self.simpleName($0.typeName) == message.name
            }) {
                printExtensions(
                    Array(pendingExtensions[...position]),
                    scope: file.messageType,
                    isProto3: isProto3,
                    into: &out
                )
                pendingExtensions = pendingExtensions[(position + 1)...]
            } else {
                printMessage(message, isProto3: isProto3, into: &out)
            }
        }
        for enumType in file.enumType { printEnum(enumType, into: &out) }
        printExtensions(Array(pendingExtensions), scope: file.messageType, isProto3: isProto3, into: &out)
        for service in file.service { printService(service, into: &out) }
        return out.text
    }

    private func printFileOptions(_ options: Google_Protobuf_FileOptions, into out: inout TextBuffer) {
        let strings: [(String, String?)] = [
            ("java_package", options.javaPackage), ("java_outer_classname", options.javaOuterClassname),
            ("go_package", options.goPackage), ("objc_class_prefix", options.objcClassPrefix),
            ("csharp_namespace", options.csharpNamespace), ("swift_prefix", options.swiftPrefix),
            ("php_class_prefix", options.phpClassPrefix), ("php_namespace", options.phpNamespace),
            ("php_metadata_namespace", options.phpMetadataNamespace), ("ruby_package", options.rubyPackage),
        ]
        for case let (name, value?) in strings { out.line("option \(name) = \(Self.quoted(value));") }
        let flags: [(String, Bool?)] = [
            ("java_multiple_files", options.javaMultipleFiles),
            ("java_generate_equals_and_hash", options.javaGenerateEqualsAndHash),
            ("java_string_check_utf8", options.javaStringCheckUtf8), ("cc_generic_services", options.ccGenericServices),
            ("java_generic_services", options.javaGenericServices), ("py_generic_services", options.pyGenericServices),
            // php_generic_services (42) left descriptor.proto in protobuf 30; an old schema keeps it as an
            // unknown field, which current protoc would reject as an option anyway.
            ("deprecated", options.deprecated),
            ("cc_enable_arenas", options.ccEnableArenas),
        ]
        for case let (name, value?) in flags { out.line("option \(name) = \(value);") }
        if let mode = options.optimizeFor {
            let name =
                switch mode {
                case .speed: "SPEED"
                case .codeSize: "CODE_SIZE"
                case .liteRuntime: "LITE_RUNTIME"
                }
            out.line("option optimize_for = \(name);")
        }
    }

    // MARK: Messages

    private func printMessage(_ message: Google_Protobuf_DescriptorProto, isProto3: Bool, into out: inout TextBuffer) {
        out.line("message \(message.name ?? "") {")
        out.indented { out in printMessageBody(message, isProto3: isProto3, into: &out) }
        out.line("}")
    }

    private func printMessageBody(
        _ message: Google_Protobuf_DescriptorProto,
        isProto3: Bool,
        into out: inout TextBuffer
    ) {
        if let options = message.options {
            if let value = options.messageSetWireFormat { out.line("option message_set_wire_format = \(value);") }
            if let value = options.noStandardDescriptorAccessor {
                out.line("option no_standard_descriptor_accessor = \(value);")
            }
            if let value = options.deprecated { out.line("option deprecated = \(value);") }
        }
        let inlineTypes = Set(
            (message.field + message.extension).filter { $0.type == .group }.map { Self.simpleName($0.typeName) }
        )
        .union(message.nestedType.filter { $0.options?.mapEntry == true }.map { $0.name ?? "" })
        var printedOneofs = Set<Int32>()
        var nextNested = 0
        // Nested types keep their declaration order: types declared before an inline group or map
        // entry are printed before the field that declares it.
        func flushNested(before fields: [Google_Protobuf_FieldDescriptorProto], into out: inout TextBuffer) {
            let inlineIndexes = fields.compactMap { field in
                message.nestedType.firstIndex {
                    inlineTypes.contains($0.name ?? "") && $0.name == Self.simpleName(field.typeName)
                }
            }
            guard let limit = inlineIndexes.min() else { return }
            while nextNested < limit {
                let nested = message.nestedType[nextNested]
                if !inlineTypes.contains(nested.name ?? "") { printMessage(nested, isProto3: isProto3, into: &out) }
                nextNested += 1
            }
        }
        for field in message.field {
            if let index = field.oneofIndex, field.proto3Optional != true, Int(index) < message.oneofDecl.count {
                guard printedOneofs.insert(index).inserted else { continue }
                flushNested(
                    before: message.field.filter { $0.oneofIndex == index && $0.proto3Optional != true },
                    into: &out
                )
                out.line("oneof \(message.oneofDecl[Int(index)].name ?? "") {")
                out.indented { out in
                    for member in message.field where member.oneofIndex == index && member.proto3Optional != true {
                        printField(
                            member,
                            in: message,
                            scope: message.nestedType,
                            label: nil,
                            isProto3: isProto3,
                            into: &out
                        )
                    }
                }
                out.line("}")
            } else {
                flushNested(before: [field], into: &out)
                printField(
                    field,
                    in: message,
                    scope: message.nestedType,
                    label: Self.label(field, isProto3: isProto3, in: message),
                    isProto3: isProto3,
                    into: &out
                )
            }
        }
        for nested in message.nestedType[nextNested...] where !inlineTypes.contains(nested.name ?? "") {
            printMessage(nested, isProto3: isProto3, into: &out)
        }
        for enumType in message.enumType { printEnum(enumType, into: &out) }
        if !message.extensionRange.isEmpty {
            let ranges = message.extensionRange.map { Self.range(start: $0.start ?? 0, endExclusive: $0.end ?? 0) }
            out.line("extensions \(ranges.joined(separator: ", "));")
        }
        printExtensions(message.extension, scope: message.nestedType, isProto3: isProto3, into: &out)
        if !message.reservedRange.isEmpty {
            let ranges = message.reservedRange.map { Self.range(start: $0.start ?? 0, endExclusive: $0.end ?? 0) }
            out.line("reserved \(ranges.joined(separator: ", "));")
        }
        if !message.reservedName.isEmpty {
            out.line("reserved \(message.reservedName.map(Self.quoted).joined(separator: ", "));")
        }
    }

    private static func label(
        _ field: Google_Protobuf_FieldDescriptorProto,
        isProto3: Bool,
        in message: Google_Protobuf_DescriptorProto?
    ) -> String? {
        switch field.label ?? .optional {
        case .repeated:
            if let message, isMapField(field, in: message) { return nil }
            return "repeated"
        case .required: return "required"
        case .optional:
            if field.proto3Optional == true { return "optional" }
            return isProto3 ? nil : "optional"
        }
    }

    private static func isMapField(
        _ field: Google_Protobuf_FieldDescriptorProto,
        in message: Google_Protobuf_DescriptorProto
    ) -> Bool {
        mapEntry(for: field, in: message) != nil
    }

    private static func mapEntry(
        for field: Google_Protobuf_FieldDescriptorProto,
        in message: Google_Protobuf_DescriptorProto
    ) -> Google_Protobuf_DescriptorProto? {
        guard field.label == .repeated, field.type == .message || field.type == nil, let typeName = field.typeName
        else { return nil }
        let simple = simpleName(typeName)
        return message.nestedType.first {
            $0.name == simple && $0.options?.mapEntry == true && typeName.hasSuffix(".\(message.name ?? "").\(simple)")
        }
    }

    private func printField(
        _ field: Google_Protobuf_FieldDescriptorProto,
        in message: Google_Protobuf_DescriptorProto?,
        scope: [Google_Protobuf_DescriptorProto],
        label: String?,
        isProto3: Bool,
        into out: inout TextBuffer
    ) {
        let prefix = label.map { "\($0) " } ?? ""
        let options = fieldOptions(field)
        let suffix = options.isEmpty ? "" : " [\(options.joined(separator: ", "))]"
        if field.type == .group, let group = scope.first(where: { $0.name == Self.simpleName(field.typeName) }) {
            out.line("\(prefix)group \(group.name ?? "") = \(field.number ?? 0)\(suffix) {")
            out.indented { out in printMessageBody(group, isProto3: isProto3, into: &out) }
            out.line("}")
            return
        }
        let type: String
        if let message, let entry = Self.mapEntry(for: field, in: message),
            let key = entry.field.first(where: { $0.number == 1 }),
            let value = entry.field.first(where: { $0.number == 2 })
        {
            type = "map<\(Self.typeSpelling(key)), \(Self.typeSpelling(value))>"
        } else {
            type = Self.typeSpelling(field)
        }
        out.line("\(prefix)\(type) \(field.name ?? "") = \(field.number ?? 0)\(suffix);")
    }

    private func fieldOptions(_ field: Google_Protobuf_FieldDescriptorProto) -> [String] {
        var options: [String] = []
        if let value = field.defaultValue {
            options.append("default = \(Self.defaultLiteral(value, type: field.type))")
        }
        if let jsonName = field.jsonName, jsonName != Self.defaultJSONName(field.name ?? "") {
            options.append("json_name = \(Self.quoted(jsonName))")
        }
        guard let fieldOptions = field.options else { return options }
        if let ctype = fieldOptions.ctype {
            options.append("ctype = \(ctype == .cord ? "CORD" : ctype == .stringPiece ? "STRING_PIECE" : "STRING")")
        }
        if let packed = fieldOptions.packed { options.append("packed = \(packed)") }
        if let jstype = fieldOptions.jstype {
            options.append(
                "jstype = \(jstype == .jsString ? "JS_STRING" : jstype == .jsNumber ? "JS_NUMBER" : "JS_NORMAL")"
            )
        }
        if let lazy = fieldOptions.lazy { options.append("lazy = \(lazy)") }
        if let lazy = fieldOptions.unverifiedLazy { options.append("unverified_lazy = \(lazy)") }
        if let deprecated = fieldOptions.deprecated { options.append("deprecated = \(deprecated)") }
        if let weak = fieldOptions.weak { options.append("weak = \(weak)") }
        return options
    }

    private func printExtensions(
        _ extensions: [Google_Protobuf_FieldDescriptorProto],
        scope: [Google_Protobuf_DescriptorProto],
        isProto3: Bool,
        into out: inout TextBuffer
    ) {
        var runs: [(extendee: String, fields: [Google_Protobuf_FieldDescriptorProto])] = []
        for field in extensions {
            let extendee = field.extendee ?? ""
            if runs.last?.extendee == extendee {
                runs[runs.count - 1].fields.append(field)
            } else {
                runs.append((extendee, [field]))
            }
        }
        for run in runs {
            out.line("extend \(run.extendee) {")
            out.indented { out in
                for field in run.fields {
                    printField(
                        field,
                        in: nil,
                        scope: scope,
                        label: Self.label(field, isProto3: isProto3, in: nil),
                        isProto3: isProto3,
                        into: &out
                    )
                }
            }
            out.line("}")
        }
    }

    // MARK: Enums and services

    private func printEnum(_ enumType: Google_Protobuf_EnumDescriptorProto, into out: inout TextBuffer) {
        out.line("enum \(enumType.name ?? "") {")
        out.indented { out in
            if let value = enumType.options?.allowAlias { out.line("option allow_alias = \(value);") }
            if let value = enumType.options?.deprecated { out.line("option deprecated = \(value);") }
            for value in enumType.value {
                let options = value.options?.deprecated.map { " [deprecated = \($0)]" } ?? ""
                out.line("\(value.name ?? "") = \(value.number ?? 0)\(options);")
            }
            if !enumType.reservedRange.isEmpty {
                let ranges = enumType.reservedRange.map { range -> String in
                    let start = range.start ?? 0
                    let end = range.end ?? 0
                    if start == end { return String(start) }
                    return "\(start) to \(end == Int32.max ? "max" : String(end))"
                }
                out.line("reserved \(ranges.joined(separator: ", "));")
            }
            if !enumType.reservedName.isEmpty {
                out.line("reserved \(enumType.reservedName.map(Self.quoted).joined(separator: ", "));")
            }
        }
        out.line("}")
    }

    private func printService(_ service: Google_Protobuf_ServiceDescriptorProto, into out: inout TextBuffer) {
        out.line("service \(service.name ?? "") {")
        out.indented { out in
            if let value = service.options?.deprecated { out.line("option deprecated = \(value);") }
            for method in service.method {
                let input = (method.clientStreaming == true ? "stream " : "") + (method.inputType ?? "")
                let output = (method.serverStreaming == true ? "stream " : "") + (method.outputType ?? "")
                var options: [String] = []
                if let value = method.options?.deprecated { options.append("option deprecated = \(value);") }
                if let level = method.options?.idempotencyLevel {
                    let name =
                        level == .noSideEffects
                        ? "NO_SIDE_EFFECTS" : level == .idempotent ? "IDEMPOTENT" : "IDEMPOTENCY_UNKNOWN"
                    options.append("option idempotency_level = \(name);")
                }
                if options.isEmpty {
                    out.line("rpc \(method.name ?? "")(\(input)) returns (\(output));")
                } else {
                    out.line("rpc \(method.name ?? "")(\(input)) returns (\(output)) {")
                    out.indented { out in for option in options { out.line(option) } }
                    out.line("}")
                }
            }
        }
        out.line("}")
    }

    // MARK: Spelling

    private static func typeSpelling(_ field: Google_Protobuf_FieldDescriptorProto) -> String {
        switch field.type {
        case .message?, .enum?, .group?, nil: field.typeName ?? ""
        case let type?: FieldEncoding.keyword(type)
        }
    }

    private static func simpleName(_ typeName: String?) -> String {
        guard let typeName else { return "" }
        return typeName.split(separator: ".").last.map(String.init) ?? typeName
    }

    private static func range(start: Int32, endExclusive: Int32) -> String {
        if endExclusive == start + 1 { return String(start) }
        return "\(start) to \(endExclusive == 536_870_912 ? "max" : String(endExclusive - 1))"
    }

    /// protoc's default JSON name: underscores dropped, the letter after each one upper-cased.
    static func defaultJSONName(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func defaultLiteral(_ value: String, type: Google_Protobuf_FieldDescriptorProto.TypeEnum?) -> String
    {
        switch type {
        case .string?: quoted(value)
        case .bytes?: "\"\(value)\""
        default: value
        }
    }

    /// A string literal: C escapes as protoc writes them, UTF-8 kept, `'` left alone (the canonical
    /// text stored for every schema; changing it would change schemas' identity).
    static func quoted(_ value: String) -> String {
        "\"" + ASCII.cEscaped(value.utf8, keepingNonASCII: true, escapingSingleQuote: false) + "\""
    }
}

/// Lines with two-space indentation.
private struct TextBuffer {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ content: String) {
        text += String(repeating: "  ", count: depth) + content + "\n"
    }

    mutating func indented(_ body: (inout TextBuffer) -> Void) {
        depth += 1
        body(&self)
        depth -= 1
    }
}
