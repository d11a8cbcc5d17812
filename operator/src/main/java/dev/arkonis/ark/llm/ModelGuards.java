package dev.arkonis.ark.llm;

import dev.arkonis.ark.llm.models.ModelProfile;

/** Where a model's shared rate limit and circuit live: Redis for agents, nowhere for a local run. */
public interface ModelGuards {
    ModelGuards NONE = new ModelGuards() {
        @Override
        public CallGate gate(ModelProfile model) {
            return CallGate.OPEN;
        }

        @Override
        public Circuit circuit(ModelProfile model) {
            return Circuit.CLOSED;
        }
    };

    /** The model's rate limit; {@link CallGate#OPEN} when it has none. */
    CallGate gate(ModelProfile model);

    Circuit circuit(ModelProfile model);
}
