import Foundation

extension KubernetesTestServer {
    /// A kubeconfig (YAML) whose current context points at this server, for running a client or the controller
    /// "from outside" in tests. Pass `certificateAuthorityPEM` for an HTTPS server (or `insecureSkipTLSVerify`),
    /// and a bearer `token` and/or a client certificate and key (PEM) as the user's credentials.
    public func kubeconfig(namespace: String = "default", token: String? = nil, certificateAuthorityPEM: String? = nil,
                           insecureSkipTLSVerify: Bool = false, clientCertificatePEM: String? = nil,
                           clientKeyPEM: String? = nil) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        var cluster = "    server: \(baseURL)\n"
        if let ca = certificateAuthorityPEM { cluster += "    certificate-authority-data: \(b64(ca))\n" }
        if insecureSkipTLSVerify { cluster += "    insecure-skip-tls-verify: true\n" }
        var user = ""
        if let token { user += "    token: \(token)\n" }
        if let cert = clientCertificatePEM { user += "    client-certificate-data: \(b64(cert))\n" }
        if let key = clientKeyPEM { user += "    client-key-data: \(b64(key))\n" }
        if user.isEmpty { user = "    {}\n" }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
        \(cluster)contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: \(namespace)
        current-context: test
        users:
        - name: test
          user:
        \(user)
        """
    }
}
