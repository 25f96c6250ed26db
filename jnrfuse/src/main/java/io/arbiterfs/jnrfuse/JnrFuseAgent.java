package io.arbiterfs.jnrfuse;

import org.slf4j.LoggerFactory;

import java.lang.instrument.Instrumentation;

/**
 * {@code java -javaagent:arbiterfs-jnrfuse.jar …}: selects {@link ArbiterFfiProvider} before the program's
 * {@code main} runs, so an unmodified jnr-fuse program ({@code -jar} ones too: the agent jar joins the system
 * class path) is served without libfuse. Transforms no classes.
 */
public final class JnrFuseAgent {
    private JnrFuseAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        premain(arguments);
    }

    public static void premain(String arguments) {
        if (!ArbiterFfiProvider.select()) {
            LoggerFactory.getLogger(JnrFuseAgent.class).warn("-D{}={} names another jnr-ffi provider: "
                            + "jnr-fuse file systems will load real libfuse", ArbiterFfiProvider.PROVIDER_PROPERTY,
                    System.getProperty(ArbiterFfiProvider.PROVIDER_PROPERTY));
        }
    }
}
