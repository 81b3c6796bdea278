/// Public: lowering and `ProtoParser.parseDescriptor` return FerryCodec's `FileDescriptorProto`.
public import FerryCodec

/// Converts a syntax tree into an unresolved `FileDescriptorProto`, exactly as protoc's parser
/// does before linking.
///
/// Type names stay as written (`Foo`, `.a.Foo`), `type` is set only for scalar types and groups,
/// options are `uninterpreted_option` entries, map fields get their nested `XxxEntry` messages,
/// groups their nested messages, proto3 `optional` fields their synthetic oneofs, and
/// `source_code_info` carries protoc's locations and comments. `json_name` is set only when the
/// file spells it out. Linking (name resolution, option interpretation) happens later.
public enum DescriptorLowering {
    /// Lowers `ast`; the diagnostics are the errors protoc's parser reports at this stage (bad
    /// default values, missing labels in proto2, duplicate package statements, ...).
    public static func lower(
        _ ast: FileSyntax
    ) -> (descriptor: Google_Protobuf_FileDescriptorProto, diagnostics: [Diagnostic]) {
        var lowerer = DescriptorLowerer(syntax: ast.syntaxName)
        let file = lowerer.lowerFile(ast)
        return (file, lowerer.reporter.diagnostics)
    }
}

extension ProtoParser {
    /// Parses `file` and lowers it to an unresolved `FileDescriptorProto` with source info.
    ///
    /// The diagnostics of both steps are returned together, in source order. The descriptor is
    /// returned even when there are errors.
    public static func parseDescriptor(
        _ file: SourceFile
    ) -> (descriptor: Google_Protobuf_FileDescriptorProto, diagnostics: [Diagnostic]) {
        let (ast, parseDiagnostics) = parse(file)
        let (descriptor, lowerDiagnostics) = DescriptorLowering.lower(ast)
        let all = (parseDiagnostics + lowerDiagnostics).enumerated().sorted { lhs, rhs in
            let left = lhs.element.span?.start.offset ?? -1
            let right = rhs.element.span?.start.offset ?? -1
            return left == right ? lhs.offset < rhs.offset : left < right
        }
        return (descriptor, all.map(\.element))
    }
}

/// The state of one lowering run.
struct DescriptorLowerer {
    typealias Path = [Int32]

    let syntax: String
    var reporter = DiagnosticReporter()
    var info = SourceInfoBuilder()

    init(syntax: String) {
        self.syntax = syntax
    }

    mutating func lowerFile(_ ast: FileSyntax) -> Google_Protobuf_FileDescriptorProto {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = ast.fileName
        info.add([], ast.span)
        if let syntaxDecl = ast.syntax {
            // An edition file says `syntax: "editions"` and names its edition; protoc records the
            // statement's location under `syntax` either way.
            file.syntax = ast.syntaxName
            if syntaxDecl.isEdition {
                file.edition = syntaxDecl.value.value == "2024" ? .edition2024 : .edition2023
            }
            info.add([DescriptorPath.File.syntax], syntaxDecl.span, syntaxDecl.comments)
        }
        var options: [Google_Protobuf_UninterpretedOption] = []
        var messages: [Google_Protobuf_DescriptorProto] = []
        var extensions: [Google_Protobuf_FieldDescriptorProto] = []
        for element in ast.declarations {
            switch element {
            case .package(let decl):
                if file.package != nil {
                    reporter.error("Multiple package definitions: \"\(decl.name.value)\".", at: decl.span)
                }
                file.package = decl.name.value
                info.add([DescriptorPath.File.package], decl.span, decl.comments)
            case .import(let decl):
                let index = Int32(file.dependency.count)
                info.add([DescriptorPath.File.dependency, index], decl.span, decl.comments)
                switch decl.modifier?.value {
                case .public?:
                    info.add(
                        [DescriptorPath.File.publicDependency, Int32(file.publicDependency.count)],
                        decl.modifier?.span ?? decl.span
                    )
                    file.publicDependency.append(index)
                case .weak?:
                    info.add(
                        [DescriptorPath.File.weakDependency, Int32(file.weakDependency.count)],
                        decl.modifier?.span ?? decl.span
                    )
                    file.weakDependency.append(index)
                case nil:
                    break
                }
                file.dependency.append(decl.path.value)
            case .option(let decl):
                info.add([DescriptorPath.File.options], decl.span)
                lowerOptionStatement(decl, path: [DescriptorPath.File.options], into: &options)
            case .message(let decl):
                let index = Int32(messages.count)
                messages.append(lowerMessage(decl, path: [DescriptorPath.File.messageType, index]))
            case .enum(let decl):
                let index = Int32(file.enumType.count)
                file.enumType.append(lowerEnum(decl, path: [DescriptorPath.File.enumType, index]))
            case .service(let decl):
                let index = Int32(file.service.count)
                file.service.append(lowerService(decl, path: [DescriptorPath.File.service, index]))
            case .extend(let decl):
                lowerExtend(
                    decl,
                    path: [DescriptorPath.File.extension],
                    extensions: &extensions,
                    messages: &messages,
                    messagesPath: [DescriptorPath.File.messageType]
                )
            case .empty:
                break
            }
        }
        file.messageType = messages
        file.extension = extensions
        if !options.isEmpty {
            var fileOptions = Google_Protobuf_FileOptions()
            fileOptions.uninterpretedOption = options
            file.options = fileOptions
        }
        file.sourceCodeInfo = info.sourceCodeInfo
        return file
    }

    // MARK: - Options

    /// Lowers `option name = value;`, recording its location under `path` + [999, index].
    mutating func lowerOptionStatement(
        _ decl: OptionDecl,
        path: Path,
        into options: inout [Google_Protobuf_UninterpretedOption]
    ) {
        info.add(path + [DescriptorPath.uninterpretedOption, Int32(options.count)], decl.span, decl.comments)
        if let option = uninterpreted(decl.name, decl.value) { options.append(option) }
    }

    /// Lowers one `name = value` of a bracketed list, recording its location under `path`.
    mutating func lowerCompactOption(
        _ entry: CompactOption,
        path: Path,
        into options: inout [Google_Protobuf_UninterpretedOption]
    ) {
        info.add(path + [DescriptorPath.uninterpretedOption, Int32(options.count)], entry.span)
        if let option = uninterpreted(entry.name, entry.value) { options.append(option) }
    }

    /// The `UninterpretedOption` protoc's parser records for `name = value`.
    mutating func uninterpreted(_ name: OptionName, _ value: OptionValue) -> Google_Protobuf_UninterpretedOption? {
        var option = Google_Protobuf_UninterpretedOption()
        option.name = name.parts.map { part in
            var namePart = Google_Protobuf_UninterpretedOption.NamePart()
            namePart.namePart = part.name
            namePart.isExtension = part.isExtension
            return namePart
        }
        switch value.kind {
        case .identifier(let identifier, let negative):
            if negative {
                reporter.error("Invalid '-' symbol before identifier \"\(identifier)\".", at: value.span)
                return nil
            }
            option.identifierValue = identifier
        case .integer(let magnitude, let negative):
            guard let magnitude, !negative || magnitude <= UInt64(Int64.max) + 1 else {
                reporter.error("Integer out of range: \(negative ? "-" : "")\(value.text).", at: value.span)
                return nil
            }
            if negative {
                option.negativeIntValue = Int64(bitPattern: 0 &- magnitude)
            } else {
                option.positiveIntValue = magnitude
            }
        case .float(let number, let negative):
            option.doubleValue = negative ? -number : number
        case .string(let bytes):
            option.stringValue = bytes
        case .aggregate(let text):
            option.aggregateValue = text
        }
        return option
    }
}
