package io.openfusion.app;

import picocli.CommandLine;

/** The version baked into the jar's manifest by the build. */
public final class Version implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"openfusion " + (version == null ? "dev" : version)};
  }
}
