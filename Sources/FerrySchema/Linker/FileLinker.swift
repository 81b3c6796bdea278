import FerryCodec

/// Links one parsed file against the files before it: registers its names, resolves every type
/// reference, checks what protoc's descriptor builder checks, and interprets options.
///
/// The phases and their order follow protoc so that the same broken file yields the same errors:
/// names first (with per-message number checks), then cross-linking, then option
/// interpretation and validation, each of the last two only when nothing failed before.
struct FileLinker {
    var file: Google_Protobuf_FileDescriptorProto
    var table: SymbolTable
    var diagnostics: [Diagnostic] = []
    let locator: SourceLocator
    let fileName: String
    let package: String
    let isProto3: Bool
    /// Files whose symbols this file may use: itself, its imports, and what those re-export.
    let visibleFiles: Set<String>
    /// Messages with field-number errors: how many numbers to suggest and where the first
    /// error was (protoc's "Suggested field numbers" hint).
    var numberHints: [String: (count: Int, path: [Int32])] = [:]
    /// Imports not used so far (only tracked for the files a compilation was asked for).
    let importUsage = ImportUsage()
    /// Source paths of interpreted options (`...[999, i]`) and the paths protoc gives them
    /// after interpretation (`...[field numbers]`, plus an index for repeated options).
    var interpretedPaths: [[Int32]: [Int32]] = [:]
    /// How many values each repeated option path has received.
    var repeatedOptionCounts: [[Int32]: Int32] = [:]
    /// Extension numbers used by this file's extensions, by extendee.
    var extensionNumbersInFile: [String: [Int32: String]] = [:]

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    init(
        file: Google_Protobuf_FileDescriptorProto,
        source: SourceFile?,
        table: SymbolTable,
        visibleFiles: Set<String>,
        unusedImportCandidates: Set<String> = []
    ) {
        self.file = file
        importUsage.unused = unusedImportCandidates
        self.table = table
        self.locator = SourceLocator(file: file, source: source)
        self.fileName = file.name ?? ""
        self.package = file.package ?? ""
        self.isProto3 = file.syntax == "proto3"
        self.visibleFiles = visibleFiles.union([file.name ?? ""])
    }

    mutating func error(_ message: String, at path: [Int32]) {
        diagnostics.append(.error(message, at: locator.span(path)))
    }

    /// Reports an error at an exact span (or at no place).
    mutating func error(_ message: String, at span: SourceSpan?) {
        diagnostics.append(.error(message, at: span))
    }

    mutating func warning(_ message: String, at path: [Int32]) {
        diagnostics.append(.warning(message, at: locator.span(path)))
    }

    func qualify(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    /// Runs every phase.
    mutating func link(interpretOptions: Bool = true) {
        table.packageOfFile[fileName] = package
        table.syntaxOfFile[fileName] = isProto3 ? "proto3" : (file.syntax == "editions" ? "editions" : "proto2")
        if !package.isEmpty { addPackage(package) }
        for index in file.messageType.indices {
            var message = file.messageType[index]
            buildMessage(&message, scope: package, path: [DescriptorPath.File.messageType, Int32(index)])
            file.messageType[index] = message
        }
        for index in file.enumType.indices {
            buildEnum(file.enumType[index], scope: package, path: [DescriptorPath.File.enumType, Int32(index)])
        }
        for index in file.service.indices {
            buildService(file.service[index], path: [DescriptorPath.File.service, Int32(index)])
        }
        for index in file.extension.indices {
            buildField(file.extension[index], scope: package, path: [DescriptorPath.File.extension, Int32(index)])
        }
        crossLinkFile()
        suggestFieldNumbers()
        registerLinkedDefinitions()
        if interpretOptions && !hasErrors {
            interpretAllOptions()
            if !hasErrors { updateSourceCodeInfo() }
            registerLinkedDefinitions()
        }
        if !hasErrors { validateFile() }
        if !hasErrors { reportUnusedImports() }
        finishForOutput()
    }

    // MARK: - Names

    private mutating func addPackage(_ name: String) {
        if let existing = table.add(name, .init(kind: .package, file: fileName)) {
            if existing.kind != .package {
                error(
                    "\"\(name)\" is already defined (as something other than a package) in file \"\(existing.file)\".",
                    at: [2]
                )
            }
            return
        }
        if let dot = name.lastIndex(of: ".") { addPackage(String(name[..<dot])) }
    }

    @discardableResult
    mutating func addSymbol(
        _ fullName: String,
        kind: SymbolTable.Kind,
        isExtension: Bool = false,
        at path: [Int32]
    ) -> Bool {
        guard let existing = table.add(fullName, .init(kind: kind, file: fileName, isExtension: isExtension)) else {
            return true
        }
        if existing.file == fileName {
            if let dot = fullName.lastIndex(of: ".") {
                let name = fullName[fullName.index(after: dot)...]
                error("\"\(name)\" is already defined in \"\(fullName[..<dot])\".", at: path)
            } else {
                error("\"\(fullName)\" is already defined.", at: path)
            }
        } else {
            error("\"\(fullName)\" is already defined in file \"\(existing.file)\".", at: path)
        }
        return false
    }

    private mutating func buildMessage(_ message: inout Google_Protobuf_DescriptorProto, scope: String, path: [Int32]) {
        let name = message.name ?? ""
        let fullName = qualify(scope, name)
        addSymbol(fullName, kind: .message, at: path + [DescriptorPath.Message.name])
        table.messages[fullName] = message
        table.fileOfMessage[fullName] = fileName
        for (index, oneof) in message.oneofDecl.enumerated() {
            addSymbol(
                qualify(fullName, oneof.name ?? ""),
                kind: .oneof,
                at: path + [DescriptorPath.Message.oneofDecl, Int32(index), 1]
            )
        }
        for (index, field) in message.field.enumerated() {
            buildField(field, scope: fullName, path: path + [DescriptorPath.Message.field, Int32(index)])
        }
        for index in message.nestedType.indices {
            var nested = message.nestedType[index]
            buildMessage(&nested, scope: fullName, path: path + [DescriptorPath.Message.nestedType, Int32(index)])
            message.nestedType[index] = nested
        }
        for (index, nested) in message.enumType.enumerated() {
            buildEnum(nested, scope: fullName, path: path + [DescriptorPath.Message.enumType, Int32(index)])
        }
        for (index, range) in message.extensionRange.enumerated() {
            let rangePath = path + [DescriptorPath.Message.extensionRange, Int32(index), DescriptorPath.Range.start]
            let start = range.start ?? 0
            let end = range.end ?? 0
            if start <= 0 { error("Extension numbers must be positive integers.", at: rangePath) }
            if end <= start { error("Extension range end number must be greater than start number.", at: rangePath) }
        }
        for (index, field) in message.extension.enumerated() {
            buildField(field, scope: fullName, path: path + [DescriptorPath.Message.extension, Int32(index)])
        }
        for (index, range) in message.reservedRange.enumerated() {
            let rangePath = path + [DescriptorPath.Message.reservedRange, Int32(index), DescriptorPath.Range.start]
            let start = range.start ?? 0
            let end = range.end ?? 0
            if start <= 0 { error("Reserved numbers must be positive integers.", at: rangePath) }
            if end <= start { error("Reserved range end number must be greater than start number.", at: rangePath) }
        }
        checkMessageNumbers(message, fullName: fullName, path: path)
    }

    private mutating func checkMessageNumbers(
        _ message: Google_Protobuf_DescriptorProto,
        fullName: String,
        path: [Int32]
    ) {
        let reservedNames = Set(message.reservedName)
        for (index, field) in message.field.enumerated() {
            let number = field.number ?? 0
            let fieldPath = path + [DescriptorPath.Message.field, Int32(index)]
            for (rangeIndex, range) in message.extensionRange.enumerated()
            where (range.start ?? 0) <= number && number < (range.end ?? 0) {
                requestHint(
                    fullName,
                    at: path + [DescriptorPath.Message.extensionRange, Int32(rangeIndex), DescriptorPath.Range.start]
                )
                error(
                    """
                    Extension range \(range.start ?? 0) to \(Int64(range.end ?? 0) - 1) includes field \
                    \"\(field.name ?? "")\" (\(number)).
                    """,
                    at: path + [DescriptorPath.Message.extensionRange, Int32(rangeIndex), DescriptorPath.Range.start]
                )
            }
            for range in message.reservedRange where (range.start ?? 0) <= number && number < (range.end ?? 0) {
                requestHint(fullName, at: fieldPath + [DescriptorPath.Field.number])
                error(
                    "Field \"\(field.name ?? "")\" uses reserved number \(number).",
                    at: fieldPath + [DescriptorPath.Field.number]
                )
            }
            if reservedNames.contains(field.name ?? "") {
                error("Field name \"\(field.name ?? "")\" is reserved.", at: fieldPath + [DescriptorPath.Field.name])
            }
        }
        for (i, range1) in message.extensionRange.enumerated() {
            let rangePath = path + [DescriptorPath.Message.extensionRange, Int32(i), DescriptorPath.Range.start]
            let (s1, e1) = (range1.start ?? 0, range1.end ?? 0)
            for range2 in message.reservedRange where e1 > (range2.start ?? 0) && (range2.end ?? 0) > s1 {
                error(
                    """
                    Extension range \(s1) to \(Int64(e1) - 1) overlaps with reserved range \(range2.start ?? 0) to \
                    \(Int64(range2.end ?? 0) - 1).
                    """,
                    at: rangePath
                )
            }
            for range2 in message.extensionRange.dropFirst(i + 1)
            where e1 > (range2.start ?? 0) && (range2.end ?? 0) > s1 {
                error(
                    """
                    Extension range \(range2.start ?? 0) to \(Int64(range2.end ?? 0) - 1) overlaps with \
                    already-defined range \(s1) to \(Int64(e1) - 1).
                    """,
                    at: rangePath
                )
            }
        }
        for (i, range1) in message.reservedRange.enumerated() {
            let rangePath = path + [DescriptorPath.Message.reservedRange, Int32(i), DescriptorPath.Range.start]
            let (s1, e1) = (range1.start ?? 0, range1.end ?? 0)
            for range2 in message.reservedRange.dropFirst(i + 1)
            where e1 > (range2.start ?? 0) && (range2.end ?? 0) > s1 {
                error(
                    """
                    Reserved range \(range2.start ?? 0) to \(Int64(range2.end ?? 0) - 1) overlaps with already-defined \
                    range \(s1) to \(Int64(e1) - 1).
                    """,
                    at: rangePath
                )
            }
        }
    }

    private mutating func buildField(_ field: Google_Protobuf_FieldDescriptorProto, scope: String, path: [Int32]) {
        let isExtension = field.extendee != nil
        let fullName = qualify(scope, field.name ?? "")
        addSymbol(fullName, kind: .field, isExtension: isExtension, at: path + [DescriptorPath.Field.name])
        let numberPath = path + [DescriptorPath.Field.number]
        let number = field.number ?? 0
        if number <= 0 {
            requestHint(scope, at: numberPath)
            error("Field numbers must be positive integers.", at: numberPath)
        } else if !isExtension && number > FieldNumbers.max {
            requestHint(scope, at: numberPath)
            error("Field numbers cannot be greater than \(FieldNumbers.max).", at: numberPath)
        } else if FieldNumbers.reservedForImplementation.contains(number) {
            requestHint(scope, at: numberPath)
            error(
                """
                Field numbers \(FieldNumbers.reservedForImplementation.lowerBound) through \
                \(FieldNumbers.reservedForImplementation.upperBound) are reserved for the protocol buffer library \
                implementation.
                """,
                at: numberPath
            )
        }
        if field.defaultValue != nil {
            checkDefaultSyntax(field, path: path)
        }
        if isExtension {
            table.fileOfExtension[fullName] = fileName
        }
    }

    private mutating func buildEnum(_ enumType: Google_Protobuf_EnumDescriptorProto, scope: String, path: [Int32]) {
        let fullName = qualify(scope, enumType.name ?? "")
        if enumType.value.isEmpty {
            error("Enums must contain at least one value.", at: path + [DescriptorPath.Enum.name])
        }
        addSymbol(fullName, kind: .enumType, at: path + [DescriptorPath.Enum.name])
        table.enums[fullName] = enumType
        table.fileOfEnum[fullName] = fileName
        var inEnum = Set<String>()
        for (index, value) in enumType.value.enumerated() {
            let valuePath = path + [DescriptorPath.Enum.value, Int32(index), DescriptorPath.EnumValue.name]
            let name = value.name ?? ""
            let addedOuter = addSymbol(qualify(scope, name), kind: .enumValue, at: valuePath)
            let addedInner = inEnum.insert(name).inserted
            if addedInner && !addedOuter {
                let outer = scope.isEmpty ? "the global scope" : "\"\(scope)\""
                error(
                    """
                    Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, \
                    not children of it.  Therefore, \"\(name)\" must be unique within \(outer), not just within \
                    \"\(enumType.name ?? "")\".
                    """,
                    at: valuePath
                )
            }
        }
        for (index, range) in enumType.reservedRange.enumerated() where (range.end ?? 0) < (range.start ?? 0) {
            error(
                "Reserved range end number must be greater than start number.",
                at: path + [DescriptorPath.Enum.reservedRange, Int32(index), DescriptorPath.Range.start]
            )
        }
        let reservedNames = Set(enumType.reservedName)
        for (index, value) in enumType.value.enumerated() {
            let number = value.number ?? 0
            for (rangeIndex, range) in enumType.reservedRange.enumerated()
            where (range.start ?? 0) <= number && number <= (range.end ?? 0) {
                error(
                    "Enum value \"\(value.name ?? "")\" uses reserved number \(number).",
                    at: path + [DescriptorPath.Enum.reservedRange, Int32(rangeIndex), DescriptorPath.Range.start]
                )
            }
            if reservedNames.contains(value.name ?? "") {
                error(
                    "Enum value \"\(value.name ?? "")\" is reserved.",
                    at: path + [DescriptorPath.Enum.value, Int32(index), DescriptorPath.EnumValue.name]
                )
            }
        }
        for (i, range1) in enumType.reservedRange.enumerated() {
            let (s1, e1) = (range1.start ?? 0, range1.end ?? 0)
            for range2 in enumType.reservedRange.dropFirst(i + 1)
            where e1 >= (range2.start ?? 0) && (range2.end ?? 0) >= s1 {
                error(
                    """
                    Reserved range \(range2.start ?? 0) to \(range2.end ?? 0) overlaps with already-defined range \
                    \(s1) to \(e1).
                    """,
                    at: path + [DescriptorPath.Enum.reservedRange, Int32(i), DescriptorPath.Range.start]
                )
            }
        }
    }

    private mutating func buildService(_ service: Google_Protobuf_ServiceDescriptorProto, path: [Int32]) {
        let fullName = qualify(package, service.name ?? "")
        addSymbol(fullName, kind: .service, at: path + [DescriptorPath.Service.name])
        for (index, method) in service.method.enumerated() {
            addSymbol(
                qualify(fullName, method.name ?? ""),
                kind: .method,
                at: path + [DescriptorPath.Service.method, Int32(index), DescriptorPath.Method.name]
            )
        }
    }
}

/// Limits on field numbers.
enum FieldNumbers {
    /// The largest field number (2^29 - 1).
    static let max: Int32 = 536_870_911
    /// Numbers protobuf keeps for itself.
    static let reservedForImplementation: ClosedRange<Int32> = 19_000...19_999
}

extension FileLinker {
    /// protoc's warning for imports nothing was looked up in (imports that re-export others
    /// with `import public`, and this file's own public imports, are never reported).
    mutating func reportUnusedImports() {
        for (index, dependency) in file.dependency.enumerated().reversed() where importUsage.unused.contains(dependency)
        {
            warning("Import \(dependency) is unused.", at: [DescriptorPath.File.dependency, Int32(index)])
            importUsage.unused.remove(dependency)
        }
    }
}

/// Which imports of the file being linked have not been used yet; shared by the copies of a
/// linker that look names up.
final class ImportUsage {
    var unused: Set<String> = []
}
