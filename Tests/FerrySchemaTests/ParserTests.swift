import Testing

@testable import FerrySchema

@Suite struct ParserTests {
    private func parse(_ text: String) -> FileSyntax {
        let (ast, diagnostics) = ProtoParser.parse(SourceFile(name: "t.proto", text: text))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        return ast
    }

    private func message(_ ast: FileSyntax, _ index: Int = 0) -> MessageDecl? {
        let messages = ast.declarations.compactMap { element -> MessageDecl? in
            if case .message(let message) = element { return message }
            return nil
        }
        return index < messages.count ? messages[index] : nil
    }

    private func fields(_ body: [MessageElement]) -> [FieldDecl] {
        body.compactMap { element in
            if case .field(let field) = element { return field }
            return nil
        }
    }

    @Test("syntax, package, imports and file options")
    func header() throws {
        let ast = parse(
            """
            syntax = "proto3";
            package a.b.c;
            import "x.proto";
            import public "y.proto";
            import weak "z.proto";
            option java_package = "com.example";
            option (my.ext).field = 5;
            """
        )
        #expect(ast.syntaxName == "proto3")
        #expect(ast.declarations.count == 6)
        guard case .package(let package) = ast.declarations[0] else {
            Issue.record("no package")
            return
        }
        #expect(package.name.value == "a.b.c")
        guard case .import(let weak) = ast.declarations[3] else {
            Issue.record("no import")
            return
        }
        #expect(weak.modifier?.value == .weak)
        #expect(weak.path.value == "z.proto")
        guard case .option(let option) = ast.declarations[5] else {
            Issue.record("no option")
            return
        }
        #expect(option.name.parts.map(\.name) == ["my.ext", "field"])
        #expect(option.name.parts.map(\.isExtension) == [true, false])
        #expect(option.value.kind == .integer(5, negative: false))
    }

    @Test("a file without a syntax statement is proto2 with a warning")
    func defaultSyntax() {
        let (ast, diagnostics) = ProtoParser.parse(SourceFile(name: "t.proto", text: "message A {}"))
        #expect(ast.syntaxName == "proto2")
        #expect(diagnostics.map(\.severity) == [.warning])
    }

    @Test("fields with labels, scalar and named types, options")
    func fieldForms() throws {
        let ast = parse(
            """
            syntax = "proto2";
            message M {
              optional int32 a = 1;
              required .pkg.Other b = 2 [default = FOO, deprecated = true];
              repeated sfixed64 c = 3 [packed = true];
              optional Nested.Type d = 0x10;
            }
            """
        )
        let body = try #require(message(ast)).body
        let parsed = fields(body)
        #expect(parsed.map(\.label?.value) == [.optional, .required, .repeated, .optional])
        #expect(parsed.map(\.name.value) == ["a", "b", "c", "d"])
        #expect(parsed.map(\.number.value) == [1, 2, 3, 16])
        if case .named(let name, _) = parsed[1].type { #expect(name == ".pkg.Other") } else { Issue.record("type") }
        if case .scalar(let scalar, _) = parsed[2].type { #expect(scalar == .sfixed64) } else { Issue.record("type") }
        #expect(parsed[1].options?.entries.map(\.name.text) == ["default", "deprecated"])
    }

    @Test("every scalar type keyword", arguments: ScalarType.allCases)
    func scalars(type: ScalarType) throws {
        let ast = parse("syntax = \"proto3\"; message M { \(type.rawValue) f = 1; }")
        let parsed = try #require(message(ast))
        let field = try #require(fields(parsed.body).first)
        #expect(field.type == .scalar(type, field.type.span))
    }

    @Test("map fields, including a message named map")
    func maps() throws {
        let ast = parse("syntax = \"proto3\"; message M { map<string, Foo.Bar> m = 1; map x = 2; }")
        let parsed = fields(try #require(message(ast)).body)
        guard case .map(let key, let value, _) = parsed[0].type else {
            Issue.record("not a map")
            return
        }
        #expect(key == .scalar(.string, key.span))
        #expect(value == .named("Foo.Bar", value.span))
        #expect(parsed[1].type == .named("map", parsed[1].type.span))
    }

    @Test("oneofs, groups, nested messages and enums, extensions, extend, reserved")
    func messageConstructs() throws {
        let ast = parse(
            """
            syntax = "proto2";
            message M {
              oneof choice { option (o) = 1; int32 a = 1; string b = 2; group G = 3 { optional int32 x = 1; } }
              optional group Result = 4 { required string url = 1; }
              message Inner { message Deeper { enum E { X = 0; } } }
              enum Kind { A = 0; B = -1 [(v) = "x"]; reserved 2, 5 to 9, 100 to max; reserved "C", "D"; \
            option allow_alias = true; }
              extensions 100 to 199, 500, 1000 to max [(ext) = 1];
              extend Other { optional int32 ext = 100; }
              reserved 10, 20 to 30;
              reserved "foo", 'bar';
              ;
            }
            """
        )
        let body = try #require(message(ast)).body
        #expect(body.count == 9)
        guard case .oneof(let oneof) = body[0] else {
            Issue.record("oneof")
            return
        }
        #expect(oneof.body.count == 4)
        guard case .group(let group) = body[1] else {
            Issue.record("group")
            return
        }
        #expect(group.name.value == "Result")
        #expect(group.label?.value == .optional)
        #expect(group.body.count == 1)
        guard case .enum(let kind) = body[3] else {
            Issue.record("enum")
            return
        }
        #expect(kind.body.count == 5)
        guard case .extensions(let extensions) = body[4] else {
            Issue.record("extensions")
            return
        }
        #expect(extensions.ranges.count == 3)
        #expect(extensions.options?.entries.count == 1)
        if case .max = extensions.ranges[2].end {} else { Issue.record("max") }
        guard case .extend(let extend) = body[5] else {
            Issue.record("extend")
            return
        }
        #expect(extend.extendee.value == "Other")
        guard case .reserved(let names) = body[7] else {
            Issue.record("reserved")
            return
        }
        #expect(names.names.map(\.value) == ["foo", "bar"])
        if case .empty = body[8] {} else { Issue.record("empty statement") }
    }

    @Test("services with streaming on either side and method options")
    func services() throws {
        let ast = parse(
            """
            syntax = "proto3";
            service S {
              option deprecated = true;
              rpc A(Req) returns (Resp);
              rpc B(stream Req) returns (Resp) {}
              rpc C(Req) returns (stream .x.Resp) { option deprecated = true; ; }
              rpc D(stream Req) returns (stream Resp);
            }
            """
        )
        guard case .service(let service) = ast.declarations[0] else {
            Issue.record("service")
            return
        }
        let methods = service.body.compactMap { element -> MethodDecl? in
            if case .method(let method) = element { return method }
            return nil
        }
        #expect(methods.map(\.name.value) == ["A", "B", "C", "D"])
        #expect(methods.map { $0.input.stream != nil } == [false, true, false, true])
        #expect(methods.map { $0.output.stream != nil } == [false, false, true, true])
        #expect(methods[2].output.type.value == ".x.Resp")
        #expect(methods[0].body == nil)
        #expect(methods[2].body?.count == 2)
    }

    @Test("option values of every form")
    func optionValues() throws {
        let ast = parse(
            """
            syntax = "proto2";
            option (a) = -42;
            option (b) = 1.5e3;
            option (c) = IDENT;
            option (d) = "x" 'y';
            option (e) = { a: 1 b: [1, 2] c { d: "s" } };
            option (f) = 18446744073709551615;
            option (g) = -.5;
            """
        )
        let values = ast.declarations.compactMap { element -> OptionValue.Kind? in
            if case .option(let option) = element { return option.value.kind }
            return nil
        }
        #expect(values[0] == .integer(42, negative: true))
        #expect(values[1] == .float(1500, negative: false))
        #expect(values[2] == .identifier("IDENT", negative: false))
        #expect(values[3] == .string(Array("xy".utf8)))
        #expect(values[4] == .aggregate("a : 1 b : [ 1 , 2 ] c { d : \"s\" }"))
        #expect(values[5] == .integer(.max, negative: false))
        #expect(values[6] == .float(0.5, negative: true))
    }

    @Test("spans cover declarations from keyword to terminator")
    func spans() throws {
        let ast = parse("syntax = \"proto3\";\nmessage Foo {\n  int32 x = 1;\n}\n")
        let foo = try #require(message(ast))
        #expect(foo.span.start.line == 2)
        #expect(foo.span.end == SourceLocation(offset: 49, line: 4, column: 2))
        #expect(foo.name.span.start.column == 9)
        let field = try #require(fields(foo.body).first)
        #expect(field.span.protocSpan == [2, 2, 14])
    }

    @Test("comments attach as leading, trailing and detached")
    func comments() throws {
        let ast = parse(
            """
            syntax = "proto3";

            // detached

            // leading
            message Foo { // trailing
              // field leading
              int32 x = 1; // field trailing
            }
            """
        )
        let foo = try #require(message(ast))
        #expect(foo.comments == Comments(leading: " leading\n", trailing: " trailing\n", detached: [" detached\n"]))
        let field = try #require(fields(foo.body).first)
        #expect(field.comments.leading == " field leading\n")
        #expect(field.comments.trailing == " field trailing\n")
    }

    @Test("deeply nested messages parse up to the limit")
    func nesting() throws {
        let depth = ProtoParser.maximumNestingDepth
        let text =
            "syntax = \"proto3\";" + String(repeating: "message A {", count: depth)
            + String(repeating: "}", count: depth)
        let ast = parse(text)
        var current = try #require(message(ast))
        var levels = 1
        while case .message(let inner)? = current.body.first {
            current = inner
            levels += 1
        }
        #expect(levels == depth)
    }
}
