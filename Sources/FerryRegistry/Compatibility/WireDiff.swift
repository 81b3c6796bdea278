import FerryCodec

/// Finds the changes that break the protobuf wire format (and generated code that depends on it): the
/// stricter rule set `ferry breaking` applies by default, on the same ground as buf's WIRE category.
///
/// Elements are matched by fully qualified name (messages, enums, services), fields and enum values by
/// number, methods by name. Every difference this walker reports is breaking.
struct WireDiff {
    private let old: TypeIndex
    private let new: TypeIndex
    private(set) var differences: [SchemaDifference] = []

    /// Compares `old` with `new`; every result breaks wire compatibility.
    static func differences(from old: ProtobufSchema, to new: ProtobufSchema) -> [SchemaDifference] {
        var diff = WireDiff(old: TypeIndex(old), new: TypeIndex(new))
        diff.compareFiles(old.file, new.file)
        return diff.differences
    }

    private init(old: TypeIndex, new: TypeIndex) {
        self.old = old
        self.new = new
    }

    private mutating func add(_ rule: CompatibilityRule, _ element: String, path: String, _ reason: String) {
        differences.append(SchemaDifference(rule: rule, path: path, element: element, reason: reason))
    }

    private mutating func compareFiles(_ o: Google_Protobuf_FileDescriptorProto, _ n: Google_Protobuf_FileDescriptorProto) {
        let oldPackage = o.package ?? "", newPackage = n.package ?? ""
        if oldPackage != newPackage {
            add(.wirePackageChanged, newPackage, path: "#/", "package changed from '\(oldPackage)' to '\(newPackage)'")
        }
        let oldTypes = Self.definitions(o), newTypes = Self.definitions(n)
        for (name, message) in oldTypes.messages {
            let local = Self.local(name, oldPackage)
            guard let newMessage = newTypes.messages.first(where: { Self.local($0.name, newPackage) == local })?.message else {
                add(.wireMessageDeleted, name, path: Self.path(local), "message \(name) was deleted")
                continue
            }
            compareMessage(message, name, newMessage, TypeIndex.join(newPackage, local), local: local)
        }
        for (name, enumType) in oldTypes.enums {
            let local = Self.local(name, oldPackage)
            guard let newEnum = newTypes.enums.first(where: { Self.local($0.name, newPackage) == local })?.enumType else {
                add(.wireEnumDeleted, name, path: Self.path(local), "enum \(name) was deleted")
                continue
            }
            compareEnum(enumType, newEnum, TypeIndex.join(newPackage, local), local: local)
        }
        for service in o.service {
            let name = TypeIndex.join(oldPackage, service.name)
            guard let newService = n.service.first(where: { $0.name == service.name }) else {
                add(.wireServiceDeleted, name, path: Self.path(service.name ?? ""), "service \(name) was deleted")
                continue
            }
            compareService(service, newService, TypeIndex.join(newPackage, service.name))
        }
    }

    private static func local(_ name: String, _ package: String) -> String {
        package.isEmpty ? name : String(name.dropFirst(package.count + 1))
    }

    private static func path(_ segments: String...) -> String {
        "#/" + segments.flatMap { $0.split(separator: ".").map(String.init) }.joined(separator: "/")
    }

    /// Every message (map entries excluded) and enum of a file, by fully qualified name, in file order.
    private static func definitions(
        _ file: Google_Protobuf_FileDescriptorProto
    ) -> (messages: [(name: String, message: Google_Protobuf_DescriptorProto)], enums: [(name: String, enumType: Google_Protobuf_EnumDescriptorProto)]) {
        var messages: [(name: String, message: Google_Protobuf_DescriptorProto)] = []
        var enums: [(name: String, enumType: Google_Protobuf_EnumDescriptorProto)] = []
        func visit(_ list: [Google_Protobuf_DescriptorProto], _ enumList: [Google_Protobuf_EnumDescriptorProto], scope: String) {
            for enumType in enumList { enums.append((TypeIndex.join(scope, enumType.name), enumType)) }
            for message in list where message.options?.mapEntry != true {
                let name = TypeIndex.join(scope, message.name)
                messages.append((name, message))
                visit(message.nestedType, message.enumType, scope: name)
            }
        }
        visit(file.messageType, file.enumType, scope: file.package ?? "")
        return (messages, enums)
    }

    // MARK: Messages

    private static func isReserved(_ number: Int32, in ranges: [Google_Protobuf_DescriptorProto.ReservedRange]) -> Bool {
        ranges.contains { number >= ($0.start ?? 0) && number < ($0.end ?? 0) }
    }

    private mutating func compareMessage(
        _ o: Google_Protobuf_DescriptorProto, _ oldFull: String, _ n: Google_Protobuf_DescriptorProto, _ newFull: String,
        local: String
    ) {
        for range in o.reservedRange {
            let start = range.start ?? 0, end = range.end ?? 0
            if (start..<end).contains(where: { !Self.isReserved($0, in: n.reservedRange) }) {
                add(.wireReservedRangeDeleted, newFull, path: Self.path(local),
                    "reserved range \(start) to \(end - 1) is no longer fully reserved")
            }
        }
        for name in o.reservedName where !n.reservedName.contains(name) {
            add(.wireReservedRangeDeleted, newFull, path: Self.path(local), "reserved name \"\(name)\" is no longer reserved")
        }
        for oldField in o.field {
            let number = oldField.number ?? 0
            let fieldPath = Self.path(local, String(number))
            guard let newField = n.field.first(where: { $0.number == number }) else {
                if !Self.isReserved(number, in: n.reservedRange) {
                    add(.wireFieldDeleted, "\(oldFull).\(oldField.name ?? "")", path: fieldPath,
                        "field \(oldField.name ?? "") = \(number) was deleted without reserving its number")
                }
                continue
            }
            let element = "\(newFull).\(newField.name ?? "")"
            let oldCardinality = Self.cardinality(oldField), newCardinality = Self.cardinality(newField)
            if oldCardinality != newCardinality {
                add(.wireFieldCardinalityChanged, element, path: fieldPath,
                    "label changed from \(oldCardinality) to \(newCardinality)")
            }
            let oldOneof = Self.oneofName(oldField, in: o), newOneof = Self.oneofName(newField, in: n)
            if oldOneof != newOneof {
                add(.wireFieldOneofChanged, element, path: fieldPath,
                    "oneof membership changed from \(oldOneof.map { "oneof \($0)" } ?? "none") to \(newOneof.map { "oneof \($0)" } ?? "none")")
            }
            compareTypes(FieldShape(oldField, types: old), FieldShape(newField, types: new), element: element, path: fieldPath)
        }
    }

    private static func cardinality(_ field: Google_Protobuf_FieldDescriptorProto) -> String {
        switch field.label ?? .optional {
        case .repeated: "repeated"
        case .required: "required"
        case .optional: "singular"
        }
    }

    private static func oneofName(_ field: Google_Protobuf_FieldDescriptorProto, in message: Google_Protobuf_DescriptorProto) -> String? {
        guard let index = field.oneofIndex, field.proto3Optional != true, Int(index) < message.oneofDecl.count else { return nil }
        return message.oneofDecl[Int(index)].name
    }

    private mutating func compareTypes(_ oldShape: FieldShape, _ newShape: FieldShape, element: String, path: String) {
        switch (oldShape, newShape) {
        case (.scalar(let oldGroup, let oldName), .scalar(let newGroup, let newName)):
            let oldIsEnum = old[oldName] != nil, newIsEnum = new[newName] != nil
            if oldGroup != newGroup {
                add(.wireFieldTypeChanged, element, path: path,
                    "type changed from \(oldName) to \(newName), which are encoded differently on the wire")
            } else if oldIsEnum && newIsEnum && Self.local(oldName, old[oldName]?.packageName ?? "") != Self.local(newName, new[newName]?.packageName ?? "") {
                add(.wireFieldTypeChanged, element, path: path, "enum type changed from \(oldName) to \(newName)")
            }
        case (.message(let oldName), .message(let newName)):
            let oldLocal = old[oldName].map { $0.localName(of: oldName) } ?? oldName
            let newLocal = new[newName].map { $0.localName(of: newName) } ?? newName
            if oldLocal != newLocal {
                add(.wireFieldTypeChanged, element, path: path, "message type changed from \(oldName) to \(newName)")
            }
        case (.map(let oldKey, let oldValue), .map(let newKey, let newValue)):
            compareTypes(oldKey, newKey, element: element + " (map key)", path: path)
            compareTypes(oldValue, newValue, element: element + " (map value)", path: path)
        default:
            add(.wireFieldTypeChanged, element, path: path,
                "field changed from \(oldShape.kind.rawValue) \(oldShape.spelling) to \(newShape.kind.rawValue) \(newShape.spelling)")
        }
    }

    // MARK: Enums and services

    private mutating func compareEnum(_ o: Google_Protobuf_EnumDescriptorProto, _ n: Google_Protobuf_EnumDescriptorProto, _ full: String, local: String) {
        func isReserved(_ number: Int32) -> Bool {
            n.reservedRange.contains { number >= ($0.start ?? 0) && number <= ($0.end ?? 0) }
        }
        for range in o.reservedRange {
            let start = range.start ?? 0, end = range.end ?? 0
            if !n.reservedRange.contains(where: { ($0.start ?? 0) <= start && ($0.end ?? 0) >= end })
                && (start...end).prefix(100_000).contains(where: { !isReserved($0) })
            {
                add(.wireReservedRangeDeleted, full, path: Self.path(local), "reserved range \(start) to \(end) is no longer fully reserved")
            }
        }
        for name in o.reservedName where !n.reservedName.contains(name) {
            add(.wireReservedRangeDeleted, full, path: Self.path(local), "reserved name \"\(name)\" is no longer reserved")
        }
        for value in o.value {
            let number = value.number ?? 0
            if !n.value.contains(where: { $0.number == number }) && !isReserved(number) {
                add(.wireEnumValueDeleted, "\(full).\(value.name ?? "")", path: Self.path(local, String(number)),
                    "enum value \(value.name ?? "") = \(number) was deleted without reserving its number")
            }
        }
    }

    private mutating func compareService(_ o: Google_Protobuf_ServiceDescriptorProto, _ n: Google_Protobuf_ServiceDescriptorProto, _ full: String) {
        for method in o.method {
            let element = "\(full).\(method.name ?? "")"
            let path = Self.path(o.name ?? "", method.name ?? "")
            guard let newMethod = n.method.first(where: { $0.name == method.name }) else {
                add(.wireMethodDeleted, element, path: path, "method \(method.name ?? "") was deleted")
                continue
            }
            if TypeIndex.fullName(method.inputType) != TypeIndex.fullName(newMethod.inputType) {
                add(.wireMethodRequestChanged, element, path: path,
                    "request type changed from \(TypeIndex.fullName(method.inputType)) to \(TypeIndex.fullName(newMethod.inputType))")
            }
            if TypeIndex.fullName(method.outputType) != TypeIndex.fullName(newMethod.outputType) {
                add(.wireMethodResponseChanged, element, path: path,
                    "response type changed from \(TypeIndex.fullName(method.outputType)) to \(TypeIndex.fullName(newMethod.outputType))")
            }
            if (method.clientStreaming ?? false) != (newMethod.clientStreaming ?? false) {
                add(.wireMethodStreamingChanged, element, path: path,
                    "client streaming changed from \(method.clientStreaming ?? false) to \(newMethod.clientStreaming ?? false)")
            }
            if (method.serverStreaming ?? false) != (newMethod.serverStreaming ?? false) {
                add(.wireMethodStreamingChanged, element, path: path,
                    "server streaming changed from \(method.serverStreaming ?? false) to \(newMethod.serverStreaming ?? false)")
            }
        }
    }
}
