import FerryCodec

/// Compares an unresolved descriptor (ours) with protoc's linked one, in every part that must
/// already agree before linking: structure, names, numbers, labels, scalar types, ranges, default
/// values, and source locations outside interpreted options.
struct DescriptorComparison {
    private(set) var mismatches: [String] = []

    static func compare(
        ours: Google_Protobuf_FileDescriptorProto,
        protoc: Google_Protobuf_FileDescriptorProto
    ) -> [String] {
        var comparison = DescriptorComparison()
        comparison.file(ours, protoc)
        return comparison.mismatches
    }

    private mutating func check<T: Equatable>(_ ours: T, _ theirs: T, _ what: @autoclosure () -> String) {
        if ours != theirs { mismatches.append("\(what()): ours \(ours), protoc \(theirs)") }
    }

    private mutating func file(
        _ ours: Google_Protobuf_FileDescriptorProto,
        _ theirs: Google_Protobuf_FileDescriptorProto
    ) {
        check(ours.name, theirs.name, "file name")
        check(ours.package, theirs.package, "package")
        check(ours.dependency, theirs.dependency, "dependencies")
        check(ours.publicDependency, theirs.publicDependency, "public dependencies")
        check(ours.weakDependency, theirs.weakDependency, "weak dependencies")
        check(ours.syntax == "proto2" ? nil : ours.syntax, theirs.syntax, "syntax")
        messages(ours.messageType, theirs.messageType, "")
        enums(ours.enumType, theirs.enumType, "")
        fields(ours.extension, theirs.extension, "extension")
        check(ours.service.count, theirs.service.count, "service count")
        for (mine, other) in zip(ours.service, theirs.service) {
            let name = mine.name ?? "?"
            check(mine.name, other.name, "service name")
            check(mine.method.count, other.method.count, "\(name) method count")
            for (method, otherMethod) in zip(mine.method, other.method) {
                let where_ = "\(name).\(method.name ?? "?")"
                check(method.name, otherMethod.name, "\(where_) name")
                check(method.clientStreaming, otherMethod.clientStreaming, "\(where_) client streaming")
                check(method.serverStreaming, otherMethod.serverStreaming, "\(where_) server streaming")
                typeName(method.inputType, otherMethod.inputType, "\(where_) input")
                typeName(method.outputType, otherMethod.outputType, "\(where_) output")
            }
        }
        sourceInfo(ours.sourceCodeInfo?.location ?? [], theirs.sourceCodeInfo?.location ?? [])
    }

    private mutating func typeName(_ ours: String?, _ theirs: String?, _ what: String) {
        guard let ours else {
            if theirs != nil { mismatches.append("\(what): ours has no type name, protoc \(theirs ?? "")") }
            return
        }
        let resolved = theirs ?? ""
        let matches =
            ours.hasPrefix(".") ? resolved == ours : (resolved == "." + ours || resolved.hasSuffix("." + ours))
        if !matches { mismatches.append("\(what): type name \(ours) does not resolve to protoc's \(resolved)") }
    }

    private mutating func messages(
        _ ours: [Google_Protobuf_DescriptorProto],
        _ theirs: [Google_Protobuf_DescriptorProto],
        _ scope: String
    ) {
        check(ours.map(\.name), theirs.map(\.name), "messages in \(scope)")
        for (mine, other) in zip(ours, theirs) where mine.name == other.name {
            let name = scope + "." + (mine.name ?? "?")
            fields(mine.field, other.field, name)
            fields(mine.extension, other.extension, name + " extension")
            messages(mine.nestedType, other.nestedType, name)
            enums(mine.enumType, other.enumType, name)
            check(mine.oneofDecl.map(\.name), other.oneofDecl.map(\.name), "\(name) oneofs")
            check(
                mine.extensionRange.map { [$0.start, $0.end] },
                other.extensionRange.map { [$0.start, $0.end] },
                "\(name) extension ranges"
            )
            check(
                mine.reservedRange.map { [$0.start, $0.end] },
                other.reservedRange.map { [$0.start, $0.end] },
                "\(name) reserved ranges"
            )
            check(mine.reservedName, other.reservedName, "\(name) reserved names")
            check(mine.options?.mapEntry, other.options?.mapEntry, "\(name) map_entry")
        }
    }

    private mutating func fields(
        _ ours: [Google_Protobuf_FieldDescriptorProto],
        _ theirs: [Google_Protobuf_FieldDescriptorProto],
        _ scope: String
    ) {
        check(ours.map(\.name), theirs.map(\.name), "fields of \(scope)")
        for (mine, other) in zip(ours, theirs) where mine.name == other.name {
            let name = scope + "." + (mine.name ?? "?")
            check(mine.number, other.number, "\(name) number")
            check(mine.label, other.label, "\(name) label")
            if let type = mine.type {
                check(type, other.type, "\(name) type")
            } else if other.type != .message && other.type != .enum {
                mismatches.append("\(name): ours has no type, protoc has \(String(describing: other.type))")
            }
            if mine.typeName != nil || other.typeName != nil { typeName(mine.typeName, other.typeName, "\(name)") }
            if let extendee = mine.extendee { typeName(extendee, other.extendee, "\(name) extendee") }
            // protoc's parser stores "-" + SimpleDtoa of the literal; the linked descriptor re-renders
            // the parsed value (SimpleFtoa for floats, "nan" for "-nan"), so only the value must agree.
            if mine.type == .float, let ours = mine.defaultValue.flatMap(Float.init),
                let theirs = other.defaultValue.flatMap(Float.init), ours == theirs || (ours.isNaN && theirs.isNaN)
            {
            } else if mine.type == .double, let ours = mine.defaultValue.flatMap(Double.init),
                let theirs = other.defaultValue.flatMap(Double.init), ours == theirs || (ours.isNaN && theirs.isNaN)
            {
            } else {
                check(mine.defaultValue, other.defaultValue, "\(name) default")
            }
            check(mine.oneofIndex, other.oneofIndex, "\(name) oneof index")
            check(mine.proto3Optional, other.proto3Optional, "\(name) proto3_optional")
            if let json = mine.jsonName { check(json, other.jsonName, "\(name) json_name") }
        }
    }

    private mutating func enums(
        _ ours: [Google_Protobuf_EnumDescriptorProto],
        _ theirs: [Google_Protobuf_EnumDescriptorProto],
        _ scope: String
    ) {
        check(ours.map(\.name), theirs.map(\.name), "enums in \(scope)")
        for (mine, other) in zip(ours, theirs) {
            let name = scope + "." + (mine.name ?? "?")
            check(mine.value.map(\.name), other.value.map(\.name), "\(name) values")
            check(mine.value.map(\.number), other.value.map(\.number), "\(name) numbers")
            check(
                mine.reservedRange.map { [$0.start, $0.end] },
                other.reservedRange.map { [$0.start, $0.end] },
                "\(name) reserved ranges"
            )
            check(mine.reservedName, other.reservedName, "\(name) reserved names")
        }
    }

    // MARK: - Source info

    private enum Kind { case file, message, field, enumType, enumValue, service, method, oneof, extensionRange }

    private static func child(of kind: Kind, field: Int32) -> (kind: Kind?, isOptions: Bool) {
        switch (kind, field) {
        case (.file, 4), (.message, 3): (.message, false)
        case (.file, 5), (.message, 4): (.enumType, false)
        case (.file, 6): (.service, false)
        case (.file, 7), (.message, 2), (.message, 6): (.field, false)
        case (.message, 8): (.oneof, false)
        case (.message, 5): (.extensionRange, false)
        case (.enumType, 2): (.enumValue, false)
        case (.service, 2): (.method, false)
        case (.file, 8), (.message, 7), (.field, 8), (.enumType, 3), (.enumValue, 3), (.service, 3), (.method, 4),
            (.oneof, 2), (.extensionRange, 3):
            (nil, true)
        default: (nil, false)
        }
    }

    /// Whether a location lies inside an option (whose path protoc rewrites when it interprets
    /// the option).
    static func isInsideOption(_ path: [Int32]) -> Bool {
        var kind = Kind.file
        var position = 0
        while position < path.count {
            let (next, isOptions) = child(of: kind, field: path[position])
            if isOptions { return position + 1 < path.count }
            guard let next else { return false }
            kind = next
            position += 2
        }
        return false
    }

    private static func describe(_ location: Google_Protobuf_SourceCodeInfo.Location) -> String {
        var text = "\(location.path) \(location.span)"
        if let leading = location.leadingComments { text += " L=\(leading.debugDescription)" }
        if let trailing = location.trailingComments { text += " T=\(trailing.debugDescription)" }
        if !location.leadingDetachedComments.isEmpty { text += " D=\(location.leadingDetachedComments)" }
        return text
    }

    private mutating func sourceInfo(
        _ ours: [Google_Protobuf_SourceCodeInfo.Location],
        _ theirs: [Google_Protobuf_SourceCodeInfo.Location]
    ) {
        let mine = ours.filter { !Self.isInsideOption($0.path) }.map(Self.describe)
        let other = theirs.filter { !Self.isInsideOption($0.path) }.map(Self.describe)
        if mine == other { return }
        let difference = other.difference(from: mine)
        var reported = 0
        for change in difference {
            guard reported < 8 else { break }
            switch change {
            case .insert(let offset, let element, _):
                mismatches.append("source info: protoc has at \(offset): \(element)")
            case .remove(let offset, let element, _):
                mismatches.append("source info: ours has at \(offset): \(element)")
            }
            reported += 1
        }
        if mine.count != other.count {
            mismatches.append("source info: \(mine.count) locations, protoc \(other.count)")
        }
    }
}
