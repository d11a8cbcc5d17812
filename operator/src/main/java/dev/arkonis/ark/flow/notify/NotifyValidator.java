package dev.arkonis.ark.flow.notify;

import dev.arkonis.ark.api.ArkNotifySpec;
import dev.arkonis.ark.api.NotifyChannel;
import dev.arkonis.ark.api.NotifyEvent;
import dev.arkonis.ark.api.NotifyEventType;
import dev.arkonis.ark.api.SecretRef;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks of an ArkNotify that need no cluster: channel, event types, and templates reading only what their type has. */
public final class NotifyValidator {

    public Validation validate(ArkNotifySpec spec) {
        List<Problem> errors = new ArrayList<>();
        NotifyChannel channel = spec.channel();
        if (channel == null) {
            errors.add(new Problem("spec.channel", "required"));
        } else if (channel.type() == null) {
            errors.add(new Problem("spec.channel.type", "required (slack or webhook)"));
        } else {
            SecretRef ref = channel.urlRef();
            String path = channel.type() == NotifyChannel.Type.SLACK ? "spec.channel.slack.webhookUrlSecretRef"
                    : "spec.channel.webhook.urlSecretRef";
            if (ref == null) {
                errors.add(new Problem(path, "required: the Secret key holding the URL"));
            } else if (blank(ref.name()) || blank(ref.key())) {
                errors.add(new Problem(path, "set both name and key"));
            }
        }
        List<NotifyEvent> events = spec.eventList();
        if (events.isEmpty()) {
            errors.add(new Problem("spec.events", "at least one event is required"));
        }
        Map<NotifyEventType, Integer> seen = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            NotifyEvent event = events.get(i);
            String path = "spec.events[" + i + "]";
            if (event.type() == null) {
                errors.add(new Problem(path + ".type", "required"));
                continue;
            }
            Integer first = seen.putIfAbsent(event.type(), i);
            if (first != null) {
                errors.add(new Problem(path + ".type", "duplicate event type " + event.type() + " (also spec.events[" + first + "])"));
            }
            if (event.template() != null) {
                checkTemplate(path + ".template", event.type(), event.template(), errors);
            }
        }
        return new Validation(errors, List.of());
    }

    private static void checkTemplate(String path, NotifyEventType type, String source, List<Problem> errors) {
        Template template;
        try {
            template = Template.parse(source);
        } catch (TemplateException e) {
            errors.add(new Problem(path, e.getMessage()));
            return;
        }
        for (List<String> chain : template.rootFieldChains()) {
            if (!type.templateRoots().contains(chain.get(0))) {
                errors.add(new Problem(path, "reads \"." + chain.get(0) + "\", which " + type + " messages do not have (they have "
                        + String.join(", ", new TreeSet<>(type.templateRoots()).stream().map(r -> "." + r).toList()) + ")"));
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
