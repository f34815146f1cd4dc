package dev.sentemb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The module options this build starts test JVMs with are the ones Spark 4.2's launcher gives every JVM it starts. */
class SparkModuleOptionsTest {
    @Test
    void thePomsModuleOptionsAreSparks() {
        String ours = System.getProperty("sentemb.spark.module.options");
        assertNotNull(ours, "surefire passes the pom's spark.module.options");
        assertEquals(JavaModuleOptions.defaultModuleOptions(), ours.strip());
    }
}
