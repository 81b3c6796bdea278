import FerryRegistry
import Foundation
import Hummingbird

/// Confluent's base context path: a client whose registry URL ends in `/contexts/.staging` works in
/// the context `.staging` without qualifying anything itself.
///
/// The request is rewritten before routing into the qualified form the routes take:
/// - the segment after `subjects` (and after a leading `config` or `mode`) is qualified with the
///   context unless it names one already: `/contexts/.staging/subjects/orders/versions` becomes
///   `/subjects/:.staging:orders/versions`;
/// - `/contexts/.staging/config` and `/mode` address the context's own setting (`/config/:.staging:`);
/// - look-ups by id get `subject=:.staging:` (or their `subject` qualified), and the subject and
///   schema listings a qualified `subjectPrefix`, so they stay inside the context.
///
/// The context may be written `.staging`, `staging` or `:.staging:`; `.` is the default context.
enum ContextPath {
    /// The rewritten path and query of `target` (what follows the host), or nil when it does not
    /// start with `/contexts/{context}/`.
    ///
    /// - Throws: 42208 for a context name with a colon inside.
    static func rewrite(_ target: String) throws(RegistryError) -> String? {
        let (path, query) = split(target)
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // "", "contexts", context, rest…
        guard segments.count >= 4, segments[0].isEmpty, segments[1] == "contexts" else { return nil }
        let key = try contextKey(segments[2].removingPercentEncoding ?? segments[2])
        segments.removeSubrange(1...2)
        var rest = Array(segments.dropFirst())
        if rest.last == "" { rest.removeLast() }

        var index = 0
        while index < rest.count {
            let opensSubject = rest[index] == "subjects" || (index == 0 && ["config", "mode"].contains(rest[index]))
            if opensSubject, index + 1 < rest.count {
                rest[index + 1] = qualify(rest[index + 1], with: key)
                index += 2
            } else {
                index += 1
            }
        }
        if rest.count == 1, ["config", "mode"].contains(rest[0]), !key.isEmpty { rest.append(key) }

        var items = query.map { $0.split(separator: "&", omittingEmptySubsequences: true).map(String.init) } ?? []
        if rest.starts(with: ["schemas", "ids"]) {
            setParameter("subject", in: &items, key: key)
        } else if rest == ["schemas"] || rest == ["subjects"] {
            setParameter("subjectPrefix", in: &items, key: key)
        }
        return "/" + rest.joined(separator: "/") + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    private static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }

    /// `:.name:` for a context written `.name`, `name` or `:.name:`; empty for the default context.
    private static func contextKey(_ raw: String) throws(RegistryError) -> String {
        var name = Substring(raw)
        if name.hasPrefix(":") { name = name.dropFirst() }
        if name.hasSuffix(":") { name = name.dropLast() }
        guard !name.contains(":") else {
            throw RegistryError(.invalidSubject, "Invalid context \(raw): a context name has no colon")
        }
        let context = name.hasPrefix(".") ? String(name) : "." + name
        return context == QualifiedSubject.defaultContext ? "" : ":\(context):"
    }

    /// Whether a (possibly percent-encoded) value names its context already (`:.ctx:…` or `:*:…`).
    private static func isQualified(_ value: String) -> Bool {
        let decoded = value.removingPercentEncoding ?? value
        return decoded.hasPrefix(":.") || decoded.hasPrefix(":*:")
    }

    private static func qualify(_ value: String, with key: String) -> String {
        isQualified(value) ? value : key + value
    }

    /// Qualifies query parameter `name` with the context, adding it when absent.
    private static func setParameter(_ name: String, in items: inout [String], key: String) {
        guard !key.isEmpty else { return }
        if let index = items.firstIndex(where: { $0 == name || $0.hasPrefix(name + "=") }) {
            let value = items[index].dropFirst(name.count + 1)
            items[index] = name + "=" + qualify(String(value), with: key)
        } else {
            items.append(name + "=" + key)
        }
    }
}

/// Puts ``ContextPath``'s rewrite in front of a responder (the router): it runs before routing and
/// before authorization, so a base context path reaches the same routes and role checks as the
/// qualified form.
struct ContextPathResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        let rewritten: String?
        do {
            rewritten = try ContextPath.rewrite(request.head.path ?? "")
        } catch {
            return RegistryHTTP.json(
                RegistryJSON.ErrorResponse(errorCode: error.code.rawValue, message: error.message),
                status: HTTPResponse.Status(code: error.code.httpStatus)
            )
        }
        guard let rewritten else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.path = rewritten
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }
}
