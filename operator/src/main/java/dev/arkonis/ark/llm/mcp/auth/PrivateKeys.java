package dev.arkonis.ark.llm.mcp.auth;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the PEM private key of private_key_jwt: PKCS#8, RSA or EC, as {@code openssl pkcs8 -topk8 -nocrypt} writes it. */
final class PrivateKeys {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PrivateKeys() {
    }

    /** @param where names the key in messages (never its content) */
    static PrivateKey parse(String pem, String where) {
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            String hint = pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")
                    ? "; convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt" : "";
            throw new McpAuthException(where + " is not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)" + hint);
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this kind of key: try the next
            }
        }
        throw new McpAuthException(where + " is neither an EC nor an RSA private key");
    }
}
