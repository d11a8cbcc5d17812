package dev.arkonis.ark.llm.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PrivateKeysTest {

    @Test
    void pkcs8PemKeysOfBothKindsAreRead() throws Exception {
        for (String algorithm : new String[] {"EC", "RSA"}) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";

            assertThat(PrivateKeys.parse(pem, "the key").getAlgorithm()).isEqualTo(algorithm);
        }
    }

    @Test
    void anotherFormatIsNamedWithoutQuotingTheKey() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretbits\n-----END RSA PRIVATE KEY-----";
        assertThatThrownBy(() -> PrivateKeys.parse(pkcs1, "the private key (ARK_MCP_0_PRIVATE_KEY)"))
                .hasMessage("the private key (ARK_MCP_0_PRIVATE_KEY) is not a PEM PKCS#8 private key (-----BEGIN PRIVATE "
                        + "KEY-----); convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt")
                .message().doesNotContain("secretbits");
    }
}
