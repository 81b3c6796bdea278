import FerryCodec
import FerrySchema

/// Finds the differences between two schemas the way Confluent's Protobuf provider does, so that the
/// registry gives clients the same verdicts.
///
/// Messages and enums are matched by name within their scope, fields by number, oneofs by name.
/// Field labels follow the parser model Confluent uses: a proto3 field without a label has none, so
/// only explicit labels (`optional`, `required`, `repeated`) are compared. Map entry messages are not
/// types of their own: a map field is compared by its key and value types.
struct RegistryDiff {
    private let old: TypeIndex
    private let new: TypeIndex
    private var path: [String] = []
    private var inProgress: Set<String> = []
    private(set) var differences: [SchemaDifference] = []

    /// Compares `old` (the schema data was written with, for BACKWARD) with `new`.
    static func differences(from old: ProtobufSchema, to new: ProtobufSchema) -> [SchemaDifference] {
        var diff = RegistryDiff(old: TypeIndex(old), new: TypeIndex(new))
        diff.compareFiles(old.file, new.file)
        var seen = Set<String>()
        return diff.differences.filter { seen.insert("\($0.rule.name) \($0.path)").inserted }
    }

    private init(old: TypeIndex, new: TypeIndex) {
        self.old = old
        self.new = new
    }

    private mutating func add(_ rule: CompatibilityRule, _ element: String, _ reason: String) {
        differences.append(
            SchemaDifference(rule: rule, path: "#/" + path.joined(separator: "/"), element: element, reason: reason)
        )
    }

    private mutating func scoped(_ segment: String, _ body: (inout RegistryDiff) -> Void) {
        path.append(segment)
        body(&self)
        path.removeLast()
    }

    private mutating func compareFiles(
        _ o: Google_Protobuf_FileDescriptorProto,
        _ n: Google_Protobuf_FileDescriptorProto
    ) {
        let oldPackage = o.package ?? ""
        let newPackage = n.package ?? ""
        if oldPackage != newPackage {
            add(
                .packageChanged,
                newPackage.isEmpty ? "(no package)" : newPackage,
                "package changed from '\(oldPackage)' to '\(newPackage)'"
            )
        }
        compareTypes(o.messageType, o.enumType, scope: oldPackage, n.messageType, n.enumType, newScope: newPackage)
    }

    private mutating func compareTypes(
        _ oldMessages: [Google_Protobuf_DescriptorProto],
        _ oldEnums: [Google_Protobuf_EnumDescriptorProto],
        scope: String,
        _ newMessages: [Google_Protobuf_DescriptorProto],
        _ newEnums: [Google_Protobuf_EnumDescriptorProto],
        newScope: String
    ) {
        let oldByName = Self.messagesByName(oldMessages)
        let newByName = Self.messagesByName(newMessages)
        for name in Set(oldByName.keys).union(newByName.keys).sorted() {
            let oldFull = TypeIndex.join(scope, name)
            let newFull = TypeIndex.join(newScope, name)
            scoped(name) { diff in
                switch (oldByName[name], newByName[name]) {
                case (_?, nil):
                    diff.add(.messageRemoved, oldFull, "message \(oldFull) was removed")
                case (nil, _?):
                    diff.add(.messageAdded, newFull, "message \(newFull) was added")
                case (let o?, let n?):
                    diff.compareMessage(o.message, oldFull, n.message, newFull)
                    if o.index != n.index {
                        diff.add(
                            .messageMoved,
                            newFull,
                            "message \(newFull) moved from position \(o.index) to \(n.index)"
                        )
                    }
                case (nil, nil): break
                }
            }
        }
        let oldEnumsByName = Dictionary(oldEnums.map { ($0.name ?? "", $0) }, uniquingKeysWith: { _, last in last })
        let newEnumsByName = Dictionary(newEnums.map { ($0.name ?? "", $0) }, uniquingKeysWith: { _, last in last })
        for name in Set(oldEnumsByName.keys).union(newEnumsByName.keys).sorted() {
            let full = TypeIndex.join(newScope, name)
            scoped(name) { diff in
                switch (oldEnumsByName[name], newEnumsByName[name]) {
                case (_?, nil):
                    diff.add(
                        .enumRemoved,
                        TypeIndex.join(scope, name),
                        "enum \(TypeIndex.join(scope, name)) was removed"
                    )
                case (nil, _?): diff.add(.enumAdded, full, "enum \(full) was added")
                case (let o?, let n?): diff.compareEnum(o, n, full)
                case (nil, nil): break
                }
            }
        }
    }

    private static func messagesByName(
        _ messages: [Google_Protobuf_DescriptorProto]
    ) -> [String: (index: Int, message: Google_Protobuf_DescriptorProto)] {
        var result: [String: (index: Int, message: Google_Protobuf_DescriptorProto)] = [:]
        var index = 0
        for message in messages where message.options?.mapEntry != true {
            result[message.name ?? ""] = (index, message)
            index += 1
        }
        return result
    }

    private mutating func compareEnum(
        _ o: Google_Protobuf_EnumDescriptorProto,
        _ n: Google_Protobuf_EnumDescriptorProto,
        _ full: String
    ) {
        let oldValues = Dictionary(
            o.value.map { ($0.number ?? 0, $0.name ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let newValues = Dictionary(
            n.value.map { ($0.number ?? 0, $0.name ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        for number in Set(oldValues.keys).union(newValues.keys).sorted() {
            scoped(String(number)) { diff in
                switch (oldValues[number], newValues[number]) {
                case (let name?, nil):
                    diff.add(.enumConstRemoved, "\(full).\(name)", "enum value \(name) = \(number) was removed")
                case (nil, let name?):
                    diff.add(.enumConstAdded, "\(full).\(name)", "enum value \(name) = \(number) was added")
                case (let oldName?, let newName?) where oldName != newName:
                    diff.add(
                        .enumConstChanged,
                        "\(full).\(newName)",
                        "enum value \(number) was renamed from \(oldName) to \(newName)"
                    )
                default: break
                }
            }
        }
    }

    // MARK: Messages

    private struct Layout {
        var topLevel: [Int32: Google_Protobuf_FieldDescriptorProto] = [:]
        var all: [Int32: Google_Protobuf_FieldDescriptorProto] = [:]
        var oneofOf: [Int32: String] = [:]
        var oneofs: [(name: String, fields: [Google_Protobuf_FieldDescriptorProto])] = []

        init(_ message: Google_Protobuf_DescriptorProto) {
            var members: [Int: [Google_Protobuf_FieldDescriptorProto]] = [:]
            for field in message.field {
                let number = field.number ?? 0
                all[number] = field
                if let index = field.oneofIndex, field.proto3Optional != true, Int(index) < message.oneofDecl.count {
                    members[Int(index), default: []].append(field)
                    oneofOf[number] = message.oneofDecl[Int(index)].name ?? ""
                } else {
                    topLevel[number] = field
                }
            }
            for (index, oneof) in message.oneofDecl.enumerated() where members[index] != nil {
                oneofs.append((oneof.name ?? "", members[index] ?? []))
            }
        }
    }

    private mutating func compareMessage(
        _ o: Google_Protobuf_DescriptorProto,
        _ oldFull: String,
        _ n: Google_Protobuf_DescriptorProto,
        _ newFull: String
    ) {
        guard !inProgress.contains(oldFull) else { return }
        inProgress.insert(oldFull)
        defer { inProgress.remove(oldFull) }
        let oldLayout = Layout(o)
        let newLayout = Layout(n)
        let oldOneofNumbers = Set(oldLayout.oneofOf.keys)
        var remainingTopLevel = oldLayout.topLevel

        for oneof in newLayout.oneofs {
            var moved = 0
            var existing = 0
            for field in oneof.fields {
                let number = field.number ?? 0
                if remainingTopLevel.removeValue(forKey: number) != nil {
                    moved += 1
                } else if oldOneofNumbers.contains(number) {
                    existing += 1
                }
            }
            scoped(oneof.name) { diff in
                let element = "\(newFull).\(oneof.name)"
                if moved > 1 {
                    diff.add(
                        .multipleFieldsMovedToOneof,
                        element,
                        "\(moved) existing fields were moved into oneof \(oneof.name)"
                    )
                } else if moved == 1 && existing > 0 {
                    diff.add(
                        .fieldMovedToExistingOneof,
                        element,
                        "an existing field was moved into the existing oneof \(oneof.name)"
                    )
                }
            }
        }

        let oldOneofs = Dictionary(
            oldLayout.oneofs.map { ($0.name, $0.fields) },
            uniquingKeysWith: { first, _ in first }
        )
        let newOneofs = Dictionary(
            newLayout.oneofs.map { ($0.name, $0.fields) },
            uniquingKeysWith: { first, _ in first }
        )
        for name in Set(oldOneofs.keys).union(newOneofs.keys).sorted() {
            scoped(name) { diff in
                switch (oldOneofs[name], newOneofs[name]) {
                case (_?, nil): diff.add(.oneofRemoved, "\(oldFull).\(name)", "oneof \(name) was removed")
                case (nil, _?): diff.add(.oneofAdded, "\(newFull).\(name)", "oneof \(name) was added")
                case (let oldFields?, let newFields?):
                    diff.compareOneof(oldFields, newFields, newNumbers: Set(newLayout.all.keys), oldFull, newFull, o, n)
                case (nil, nil): break
                }
            }
        }

        for number in Set(remainingTopLevel.keys).union(newLayout.topLevel.keys).sorted() {
            scoped(String(number)) { diff in
                switch (remainingTopLevel[number], newLayout.topLevel[number]) {
                case (let field?, nil):
                    let element = "\(oldFull).\(field.name ?? "")"
                    if field.label == .required {
                        diff.add(
                            .requiredFieldRemoved,
                            element,
                            "required field \(field.name ?? "") = \(number) was removed"
                        )
                    } else {
                        diff.add(.fieldRemoved, element, "field \(field.name ?? "") = \(number) was removed")
                    }
                case (nil, let field?):
                    let element = "\(newFull).\(field.name ?? "")"
                    if field.label == .required {
                        diff.add(
                            .requiredFieldAdded,
                            element,
                            "required field \(field.name ?? "") = \(number) was added"
                        )
                    } else {
                        diff.add(.fieldAdded, element, "field \(field.name ?? "") = \(number) was added")
                    }
                case (let oldField?, let newField?):
                    diff.compareField(oldField, oldFull, o, newField, newFull, n)
                case (nil, nil): break
                }
            }
        }

        for number in Set(oldLayout.all.keys).intersection(newLayout.all.keys).sorted() {
            let oldOneof = oldLayout.oneofOf[number]
            let newOneof = newLayout.oneofOf[number]
            if oldOneof == nil && newOneof == nil { continue }
            if let oldOneof, oldOneof == newOneof { continue }
            guard let oldField = oldLayout.all[number], let newField = newLayout.all[number] else { continue }
            scoped(String(number)) { diff in diff.compareField(oldField, oldFull, o, newField, newFull, n) }
        }

        compareTypes(o.nestedType, o.enumType, scope: oldFull, n.nestedType, n.enumType, newScope: newFull)
    }

    private mutating func compareOneof(
        _ oldFields: [Google_Protobuf_FieldDescriptorProto],
        _ newFields: [Google_Protobuf_FieldDescriptorProto],
        newNumbers: Set<Int32>,
        _ oldFull: String,
        _ newFull: String,
        _ o: Google_Protobuf_DescriptorProto,
        _ n: Google_Protobuf_DescriptorProto
    ) {
        let oldByNumber = Dictionary(oldFields.map { ($0.number ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        let newByNumber = Dictionary(newFields.map { ($0.number ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        for number in Set(oldByNumber.keys).union(newByNumber.keys).sorted() {
            scoped(String(number)) { diff in
                switch (oldByNumber[number], newByNumber[number]) {
                case (let field?, nil) where !newNumbers.contains(number):
                    diff.add(
                        .oneofFieldRemoved,
                        "\(oldFull).\(field.name ?? "")",
                        "oneof field \(field.name ?? "") = \(number) was removed"
                    )
                case (nil, let field?):
                    diff.add(
                        .oneofFieldAdded,
                        "\(newFull).\(field.name ?? "")",
                        "oneof field \(field.name ?? "") = \(number) was added"
                    )
                case (let oldField?, let newField?):
                    diff.compareField(oldField, oldFull, o, newField, newFull, n)
                default: break
                }
            }
        }
    }

    // MARK: Fields

    /// The label as Confluent's parser model has it: `nil` for a proto3 field written without one.
    private enum Label: String { case optional, required, repeated }

    private func label(
        _ field: Google_Protobuf_FieldDescriptorProto,
        messageFullName: String,
        types: TypeIndex
    ) -> Label? {
        switch field.label ?? .optional {
        case .repeated: return .repeated
        case .required: return .required
        case .optional:
            if field.proto3Optional == true { return .optional }
            return types[messageFullName]?.syntax == "proto3" ? nil : .optional
        }
    }

    private mutating func compareField(
        _ oldField: Google_Protobuf_FieldDescriptorProto,
        _ oldFull: String,
        _ o: Google_Protobuf_DescriptorProto,
        _ newField: Google_Protobuf_FieldDescriptorProto,
        _ newFull: String,
        _ n: Google_Protobuf_DescriptorProto
    ) {
        let element = "\(newFull).\(newField.name ?? "")"
        if oldField.name != newField.name {
            add(
                .fieldNameChanged,
                element,
                "field \(oldField.number ?? 0) was renamed from \(oldField.name ?? "") to \(newField.name ?? "")"
            )
        }
        var oldLabel = label(oldField, messageFullName: oldFull, types: old)
        var newLabel = label(newField, messageFullName: newFull, types: new)
        let oldShape = FieldShape(oldField, types: old)
        let newShape = FieldShape(newField, types: new)
        if case .map = oldShape { oldLabel = nil }
        if case .map = newShape { newLabel = nil }
        compareShapes(oldLabel, oldShape, newLabel, newShape, element: element)
    }

    private mutating func compareShapes(
        _ oldLabel: Label?,
        _ oldShape: FieldShape,
        _ newLabel: Label?,
        _ newShape: FieldShape,
        element: String
    ) {
        guard oldShape.kind == newShape.kind else {
            add(
                .fieldKindChanged,
                element,
                """
                field changed from \(oldShape.kind.rawValue) \(oldShape.spelling) to \
                \(newShape.kind.rawValue) \(newShape.spelling)
                """
            )
            return
        }
        switch (oldShape, newShape) {
        case (.scalar(let oldGroup, let oldName), .scalar(let newGroup, let newName)):
            if oldGroup != newGroup {
                add(
                    .fieldScalarKindChanged,
                    element,
                    """
                    type changed from \(oldName) to \(newName), which are not in one \
                    interchangeable group (\(oldGroup.rawValue) vs \(newGroup.rawValue))
                    """
                )
            } else if let oldLabel, let newLabel, oldLabel != newLabel {
                if oldGroup == .lengthDelimited {
                    add(
                        .fieldStringOrBytesLabelChanged,
                        element,
                        "label changed from \(oldLabel) to \(newLabel) on a \(newName) field"
                    )
                } else {
                    add(
                        .fieldNumericLabelChanged,
                        element,
                        "label changed from \(oldLabel) to \(newLabel) on numeric field of type \(newName)"
                    )
                }
            }
        case (.message(let oldName), .message(let newName)):
            compareMessageTypes(oldName, newName, element: element)
        case (.map(let oldKey, let oldValue), .map(let newKey, let newValue)):
            compareShapes(nil, oldKey, nil, newKey, element: element + " (map key)")
            compareShapes(nil, oldValue, nil, newValue, element: element + " (map value)")
        default:
            break
        }
    }

    private mutating func compareMessageTypes(_ oldName: String, _ newName: String, element: String) {
        guard let oldEntry = old[oldName], let newEntry = new[newName],
            case .message(let oldMessage) = oldEntry.definition, case .message(let newMessage) = newEntry.definition
        else {
            if oldName != newName {
                add(.fieldNamedTypeChanged, element, "message type changed from \(oldName) to \(newName)")
            }
            return
        }
        let oldLocal = oldEntry.localName(of: oldName)
        let newLocal = newEntry.localName(of: newName)
        guard oldLocal == newLocal else {
            add(.fieldNamedTypeChanged, element, "message type changed from \(oldName) to \(newName)")
            return
        }
        let savedPath = path
        let savedCount = differences.count
        path = oldLocal.split(separator: ".").map(String.init)
        compareMessage(oldMessage, oldName, newMessage, newName)
        path = savedPath
        if differences[savedCount...].contains(where: \.isBreaking) {
            add(.fieldNamedTypeChanged, element, "message type \(newName) changed incompatibly")
        }
    }
}
