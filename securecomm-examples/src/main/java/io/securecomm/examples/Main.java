package io.securecomm.examples;

/** Entry point of the securecomm executable jar. Placeholder until the relay and client land. */
public final class Main {
    private Main() {}

    /**
     * Runs the program.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.out.println("securecomm " + Main.class.getPackage().getImplementationVersion());
    }
}
