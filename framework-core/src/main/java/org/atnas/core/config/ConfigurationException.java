package org.atnas.core.config;

/** Bad configuration; the message names the key, the value and what was expected. */
public final class ConfigurationException
        extends IllegalArgumentException
{
    public ConfigurationException(String message)
    {
        super(message);
    }

    /**
     * All of a configuration's errors in one exception, so that a user fixes them in one pass: one
     * error as it is, several as {@code N configuration errors:} and one indented line each.
     */
    public static ConfigurationException of(java.util.List<String> errors)
    {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors is empty");
        }
        if (errors.size() == 1) {
            return new ConfigurationException(errors.get(0));
        }
        return new ConfigurationException(errors.size() + " configuration errors:\n  " + String.join("\n  ", errors));
    }
}
