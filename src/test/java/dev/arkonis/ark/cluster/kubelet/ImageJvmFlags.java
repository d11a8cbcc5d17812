package dev.arkonis.ark.cluster.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.NodeList;

/** The JVM flags the image starts java with, read from pom.xml's Jib configuration: one list for image and harness. */
public final class ImageJvmFlags {
    private ImageJvmFlags() {
    }

    public static List<String> fromPom() {
        try {
            NodeList flags = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                    "//plugin[artifactId='jib-maven-plugin']//container/jvmFlags/jvmFlag",
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile()),
                    XPathConstants.NODESET);
            List<String> list = new ArrayList<>();
            for (int i = 0; i < flags.getLength(); i++) {
                list.add(flags.item(i).getTextContent().trim());
            }
            if (list.isEmpty()) {
                throw new IllegalStateException("pom.xml names no jvmFlag for the image");
            }
            return List.copyOf(list);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the image's JVM flags from pom.xml: " + e.getMessage(), e);
        }
    }
}
