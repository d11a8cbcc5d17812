package dev.arkonis.ark.cluster.kubelet;

import java.util.Map;
import java.util.Optional;

/** Image repository → its local stand-in; the tag does not matter, an image of an unknown repository fails to pull. */
public final class ImageCatalog {
    private final Map<String, StandIn> byRepository;

    public ImageCatalog(Map<String, StandIn> byRepository) {
        this.byRepository = Map.copyOf(byRepository);
    }

    Optional<StandIn> find(String image) {
        return Optional.ofNullable(byRepository.get(repository(image)));
    }

    /** What a container's status reports as its image: the digest it was pinned to, as a runtime resolves it. */
    static String imageId(String image) {
        int at = image.indexOf('@');
        return at < 0 ? "harness://" + image : repository(image) + image.substring(at);
    }

    static String repository(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
    }
}
