package dev.arkonis.ark.dashboard;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The pages' templates, compiled to classes at build time (operator/src/main/jte); rendering escapes every value by
 * where it lands (text, attribute, URL), so text from the cluster (outputs are model-written) cannot become markup.
 */
final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Templates.class.getClassLoader(), "dev.arkonis.ark.dashboard.pages");

    private Templates() {
    }

    static String render(String template, Object model) {
        StringOutput out = new StringOutput(8192);
        ENGINE.render(template, model, out);
        return out.toString();
    }

    static String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(4096);
        ENGINE.render(template, params, out);
        return out.toString();
    }
}
