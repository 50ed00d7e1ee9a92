package org.atnas.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.atnas.api.plugin.Setting;
import org.atnas.core.ServiceType;
import org.atnas.core.data.DataSettings;
import org.atnas.core.search.ClusterSettings;
import org.atnas.core.search.FinalTraining;
import org.atnas.core.search.SearchSettings;
import org.atnas.core.transfer.TransferSettings;

/** The keys the engine itself reads (components declare their own). */
public final class CoreSettings
{
    public static final Setting<Long> SEED = Setting.longInteger("seed", 0L,
            "Seed of everything random in a run (sampling, evolution, tasks, weight initialisation). The same seed and configuration give the same result.");
    public static final Setting<Path> RUNS_DIRECTORY = Setting.path("runs.directory", Path.of("runs"),
            "Where run directories are created.");
    public static final Setting<String> RUN_NAME = Setting.string("run.name", null,
            "Name of the run directory under runs.directory; default: the command and a time stamp.");

    private static final Map<ServiceType, Setting<String>> SELECTIONS = selections();

    private CoreSettings() {}

    /** The setting that selects the component of a service, for example {@code evolver = ga}. */
    public static Setting<String> selection(ServiceType service)
    {
        return SELECTIONS.get(service);
    }

    private static Map<ServiceType, Setting<String>> selections()
    {
        Map<ServiceType, Setting<String>> selections = new EnumMap<>(ServiceType.class);
        for (ServiceType service : ServiceType.values()) {
            String description = "The " + service.label() + " to use, by component name (atnas plugins lists them)"
                    + (service.isOptional() ? "; " + ServiceType.NONE + " for no " + service.label() + "." : ".");
            selections.put(service, Setting.string(service.key(), service.defaultName(), description));
        }
        return selections;
    }

    public static List<Setting<?>> all()
    {
        List<Setting<?>> all = new ArrayList<>();
        for (ServiceType service : ServiceType.values()) {
            all.add(selection(service));
        }
        all.add(SEED);
        all.add(RUNS_DIRECTORY);
        all.add(RUN_NAME);
        all.addAll(DataSettings.all());
        all.addAll(SearchSettings.all());
        all.addAll(FinalTraining.settings());
        all.addAll(ClusterSettings.all());
        all.addAll(TransferSettings.all());
        return List.copyOf(all);
    }
}
